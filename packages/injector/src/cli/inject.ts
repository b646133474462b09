import {
  chmodSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, extname, join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { ConfigError, formatIssue } from "@tracklet/config";
import { loadConfig } from "../config/parse-config.js";
import { injectHtmlBuffer } from "../html/inject-html.js";
import { INSERTION_POSITIONS, type InsertionPosition } from "../html/insertion-scanner.js";
import { createSnippet, DEFAULT_BOOTSTRAP_PATH } from "../snippet/create-snippet.js";
import type { SnippetAsset } from "../types.js";
import type { CheckIo } from "./check.js";

export const INJECT_USAGE = `Usage: tracklet inject --config FILE [--out DIR] [--position P] [--scripts MODE] [--assets DIR] PATH...

Put the analytics snippet configured in FILE into static .html/.htm files. PATH is a file or a folder
(searched recursively). Files are changed in place unless --out is given; then every HTML file is written
to DIR at its path relative to the folder it was found in (files named directly go to DIR/<name>).
Running it again changes nothing: a file that already carries the snippet is left byte-identical.

Options:
  -c, --config FILE   the airflow.cfg-style config file (required)
  -o, --out DIR       write results to DIR instead of in place
  -p, --position P    head-end (default), head-start or body-end
  -s, --scripts MODE  inline (default): the bootstrap code is inline in every page; external: pages load it
                      with <script src> (for a Content-Security-Policy without 'unsafe-inline' or a nonce)
      --bootstrap-path URL
                      where external pages load the bootstrap from (default ${DEFAULT_BOOTSTRAP_PATH})
  -a, --assets DIR    write the same-origin scripts the pages load (the bootstrap in external mode, tracklet's
                      browser SDK when the snippet uses it) into DIR at their URL paths, e.g. DIR/tracklet/
  -h, --help          show this help

Exit status: 0 done (some files may have had no insertion point), 1 errors, 2 usage error.
`;

const HTML_EXTENSIONS = new Set([".html", ".htm"]);

function isHtmlFile(path: string): boolean {
  return HTML_EXTENSIONS.has(extname(path).toLowerCase());
}

/** One HTML file to process: where it is and where it goes relative to --out. */
interface Target {
  path: string;
  outName: string;
}

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "no such file or directory";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  return error instanceof Error ? error.message : String(error);
}

/** HTML files under `dir`, sorted; symlinked folders are not followed (no loops). */
function walk(dir: string, root: string, skip: string | undefined, out: Target[]): void {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (path !== skip) walk(path, root, skip, out);
    } else if ((entry.isFile() || entry.isSymbolicLink()) && isHtmlFile(entry.name)) {
      out.push({ path, outName: relative(root, path) });
    }
  }
}

/** A root-relative URL path with no query, dot segments or backslashes: safe to map onto a folder. */
function isScriptPath(path: string): boolean {
  return (
    /^\/[A-Za-z0-9._~\-/]*$/.test(path) && !path.split("/").some((part) => part === "." || part === "..")
  );
}

/** The scripts a page with the snippet loads from its own site, by URL path. */
function sameOriginScripts(
  assets: readonly SnippetAsset[],
  bootstrapJs: string,
  bootstrapPath: string,
): Map<string, Buffer> {
  const scripts = new Map<string, Buffer>();
  for (const asset of assets) scripts.set(asset.path, readFileSync(asset.file));
  if (bootstrapJs !== "") scripts.set(bootstrapPath, Buffer.from(bootstrapJs, "utf8"));
  return scripts;
}

function writeAtomically(path: string, data: Buffer, mode: number | undefined): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  writeFileSync(temp, data);
  if (mode !== undefined) chmodSync(temp, mode & 0o7777);
  renameSync(temp, path);
}

/** What `tracklet inject` was asked to do, validated. */
interface InjectRequest {
  config: string;
  out: string | undefined;
  assets: string | undefined;
  position: InsertionPosition;
  mode: "inline" | "external";
  bootstrapPath: string;
  paths: string[];
}

/** The command line as an {@link InjectRequest}, or the exit status when there is nothing to do. */
function parseInjectArgs(args: string[], io: CheckIo): InjectRequest | number {
  const usage = (message: string) => {
    io.stderr.write(`tracklet inject: ${message}\n\n${INJECT_USAGE}`);
    return 2;
  };
  let parsed: ReturnType<typeof parseInjectOptions>;
  try {
    parsed = parseInjectOptions(args);
  } catch (error) {
    return usage((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(INJECT_USAGE);
    return 0;
  }
  if (values.config === undefined) return usage("--config FILE is required");
  if (positionals.length === 0) return usage("give at least one file or folder");
  const position = (values.position ?? "head-end") as InsertionPosition;
  if (!INSERTION_POSITIONS.includes(position)) {
    return usage(`--position must be one of ${INSERTION_POSITIONS.join(", ")} (got "${values.position}")`);
  }
  const mode = values.scripts ?? "inline";
  if (mode !== "inline" && mode !== "external") {
    return usage(`--scripts must be inline or external (got "${values.scripts}")`);
  }
  const bootstrapPath = values["bootstrap-path"] ?? DEFAULT_BOOTSTRAP_PATH;
  if (!isScriptPath(bootstrapPath)) {
    return usage(
      `--bootstrap-path must be a root-relative URL path such as /tracklet/bootstrap.js (got "${bootstrapPath}")`,
    );
  }
  if (values["bootstrap-path"] !== undefined && mode !== "external") {
    return usage("--bootstrap-path only applies with --scripts external");
  }
  const { config, out, assets } = values;
  return { config, out, assets, position, mode, bootstrapPath, paths: positionals };
}

function parseInjectOptions(args: string[]) {
  return parseArgs({
    args,
    options: {
      config: { type: "string", short: "c" },
      out: { type: "string", short: "o" },
      position: { type: "string", short: "p" },
      scripts: { type: "string", short: "s" },
      "bootstrap-path": { type: "string" },
      assets: { type: "string", short: "a" },
      help: { type: "boolean", short: "h" },
    },
    allowPositionals: true,
    strict: true,
  });
}

/** The snippet to insert and the same-origin scripts it loads, or `undefined` after reporting why not. */
function loadSnippet(
  request: InjectRequest,
  io: CheckIo,
): { html: string; scripts: Map<string, Buffer> } | undefined {
  const { config, mode, bootstrapPath } = request;
  try {
    const loaded = loadConfig({ path: config, env: io.env, cwd: io.cwd });
    for (const warning of loaded.warnings) io.stderr.write(`warning: ${formatIssue(warning)}\n`);
    if (loaded.settings.tool === null) {
      io.stderr.write(`tracklet inject: ${config}: analytics_tool is not set, so there is no snippet\n`);
      return undefined;
    }
    const snippet = createSnippet(loaded.settings);
    const external = mode === "external";
    return {
      html: external ? snippet.html({ mode, bootstrapPath }) : snippet.html(),
      scripts: sameOriginScripts(snippet.assets ?? [], external ? snippet.bootstrapJs : "", bootstrapPath),
    };
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const issue of error.issues) io.stderr.write(`error: ${formatIssue(issue)}\n`);
    } else {
      io.stderr.write(`tracklet inject: ${config}: ${reason(error)}\n`);
    }
    return undefined;
  }
}

/** One run over the files: writes results, prints a line per file and counts outcomes. */
class InjectRun {
  private readonly counts = { injected: 0, present: 0, none: 0, errors: 0 };
  private readonly outDir: string | undefined;

  constructor(
    private readonly request: InjectRequest,
    private readonly snippetHtml: string,
    private readonly io: CheckIo,
  ) {
    this.outDir = request.out === undefined ? undefined : resolve(io.cwd, request.out);
  }

  private error(path: string, message: string): void {
    this.counts.errors++;
    this.io.stderr.write(`error              ${path}: ${message}\n`);
  }

  private show(path: string): string {
    return relative(this.io.cwd, path) || path;
  }

  /** Writes the scripts into `--assets DIR` at their URL paths, or says which ones the pages need. */
  writeScripts(scripts: Map<string, Buffer>): void {
    if (this.request.assets === undefined) {
      if (scripts.size > 0) {
        this.io.stderr.write(
          `note: the pages load ${[...scripts.keys()].join(", ")} from your site; ` +
            "--assets DIR writes those files for you\n",
        );
      }
      return;
    }
    const assetsDir = resolve(this.io.cwd, this.request.assets);
    for (const [path, body] of scripts) {
      if (!isScriptPath(path)) {
        this.error(path, "not a root-relative URL path that maps onto a file");
        continue;
      }
      const destination = join(assetsDir, ...path.split("/").filter((part) => part !== ""));
      try {
        writeAtomically(destination, body, undefined);
        this.io.stdout.write(`script             ${path} -> ${this.show(destination)}\n`);
      } catch (e) {
        this.error(this.show(destination), reason(e));
      }
    }
  }

  /** Every HTML file a command-line path names: the file itself, or those found under the folder. */
  injectPath(arg: string): void {
    const full = resolve(this.io.cwd, arg);
    const targets: Target[] = [];
    try {
      const stat = statSync(full);
      if (stat.isDirectory()) walk(full, full, this.outDir, targets);
      else if (isHtmlFile(full)) targets.push({ path: full, outName: basename(full) });
      else {
        this.error(arg, "not an .html or .htm file");
        return;
      }
    } catch (e) {
      this.error(arg, reason(e));
      return;
    }
    for (const target of targets) this.injectFile(target);
  }

  private injectFile(target: Target): void {
    const { outDir, io } = this;
    try {
      const stat = statSync(target.path);
      const original = readFileSync(target.path);
      const result = injectHtmlBuffer(original, this.snippetHtml, { position: this.request.position });
      const destination = outDir === undefined ? target.path : join(outDir, target.outName);
      if (result.outcome === "injected") {
        writeAtomically(destination, result.body, stat.mode);
        this.counts.injected++;
        const shownDestination = outDir ? ` -> ${this.show(destination)}` : "";
        io.stdout.write(`injected           ${this.show(target.path)}${shownDestination}\n`);
        return;
      }
      // Unchanged files are copied as they are with --out, and not touched at all in place.
      if (outDir !== undefined) writeAtomically(destination, original, stat.mode);
      if (result.outcome === "already-present") this.counts.present++;
      else this.counts.none++;
      const label = result.outcome === "already-present" ? "already present   " : "no insertion point";
      io.stdout.write(`${label} ${this.show(target.path)}\n`);
    } catch (e) {
      this.error(this.show(target.path), reason(e));
    }
  }

  /** Prints the totals; the exit status is 1 when any file or script failed. */
  finish(): number {
    const { injected, present, none, errors } = this.counts;
    this.io.stdout.write(
      `${injected} injected, ${present} already present, ${none} without insertion point, ` +
        `${errors} error${errors === 1 ? "" : "s"}\n`,
    );
    return errors > 0 ? 1 : 0;
  }
}

/** `tracklet inject`: returns 0 when every file was handled, 1 on any error, 2 on usage errors. */
export async function runInject(args: string[], io: CheckIo): Promise<number> {
  const request = parseInjectArgs(args, io);
  if (typeof request === "number") return request;
  const snippet = loadSnippet(request, io);
  if (snippet === undefined) return 1;
  const run = new InjectRun(request, snippet.html, io);
  run.writeScripts(snippet.scripts);
  for (const path of request.paths) run.injectPath(path);
  return run.finish();
}
