import {
  DEFAULT_BOOTSTRAP_PATH,
  DEFAULT_PREFIXES,
  INSERTION_POSITIONS,
  createSnippet,
  formatSettings,
  injectHtmlBuffer,
  loadConfig,
  maskSettings
} from "./chunk-4Y6U6FSY.js";

// src/cli/main.ts
import { existsSync, readFileSync as readFileSync2 } from "fs";
import { dirname as dirname2, join as join2 } from "path";
import { fileURLToPath } from "url";

// src/cli/check.ts
import { parseArgs } from "util";
import { ConfigError, formatIssue } from "@tracklet/config";
var CHECK_USAGE = `Usage: tracklet check [--config FILE] [--prefix PREFIX] [--json]

Resolve the [webserver] analytics settings from FILE (default: $TRACKLET_CONFIG, else ./airflow.cfg) and
PREFIX__WEBSERVER__* environment overrides (default prefix TRACKLET; AIRFLOW__ also works), then print them
with secrets masked. Exit status: 0 valid, 1 invalid config, 2 usage error.

  --config FILE    config file to read
  --prefix PREFIX  env override prefix that wins over AIRFLOW (upper case, e.g. MYAPP)
  --json           print {ok, file, settings, warnings, errors} as JSON
  -h, --help       show this help
`;
async function runCheck(args, io) {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        config: { type: "string", short: "c" },
        prefix: { type: "string" },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" }
      },
      allowPositionals: false,
      strict: true
    }));
  } catch (error) {
    io.stderr.write(`tracklet check: ${error.message}

${CHECK_USAGE}`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(CHECK_USAGE);
    return 0;
  }
  if (values.prefix !== void 0 && !/^[A-Z][A-Z0-9_]*$/.test(values.prefix)) {
    io.stderr.write(`tracklet check: --prefix must be upper case letters, digits and "_" (e.g. MYAPP)
`);
    return 2;
  }
  const prefixes = values.prefix === void 0 ? DEFAULT_PREFIXES : [.../* @__PURE__ */ new Set([values.prefix, "AIRFLOW"])];
  try {
    const loaded = loadConfig({
      env: io.env,
      cwd: io.cwd,
      prefixes,
      ...values.config !== void 0 ? { path: values.config } : {}
    });
    if (values.json) {
      const report = {
        ok: true,
        file: loaded.file,
        settings: maskSettings(loaded.settings),
        warnings: loaded.warnings,
        errors: []
      };
      io.stdout.write(`${JSON.stringify(report, null, 2)}
`);
      return 0;
    }
    const source = loaded.file ?? "no config file (environment only)";
    io.stdout.write(`tracklet check: ${source}
${formatSettings(loaded.settings)}
`);
    writeIssues(io.stdout, "warning", loaded.warnings);
    const { tool, mode } = loaded.settings;
    let state = tool === null ? "injection is off" : `injecting the ${tool} snippet`;
    if (tool !== null && tool !== "tracklet" && mode === "first_party")
      state = `injecting tracklet's SDK; the collector forwards its events to ${tool}`;
    if (tool !== null && tool !== "tracklet" && mode === "both")
      state = `injecting the ${tool} snippet and tracklet's SDK (stored, not forwarded)`;
    io.stdout.write(`OK: ${state}
`);
    return 0;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    if (values.json) {
      const report = {
        ok: false,
        file: null,
        settings: null,
        warnings: error.warnings,
        errors: error.issues
      };
      io.stdout.write(`${JSON.stringify(report, null, 2)}
`);
      return 1;
    }
    writeIssues(io.stderr, "error", error.issues);
    writeIssues(io.stderr, "warning", error.warnings);
    const count = error.issues.length;
    io.stderr.write(`tracklet check: ${count} error${count === 1 ? "" : "s"}; the config cannot be used
`);
    return 1;
  }
}
function writeIssues(out, label, issues) {
  for (const issue of issues) out.write(`${label}: ${formatIssue(issue)}
`);
}

// src/cli/inject.ts
import {
  chmodSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync
} from "fs";
import { basename, dirname, extname, join, relative, resolve } from "path";
import { parseArgs as parseArgs2 } from "util";
import { ConfigError as ConfigError2, formatIssue as formatIssue2 } from "@tracklet/config";
var INJECT_USAGE = `Usage: tracklet inject --config FILE [--out DIR] [--position P] [--scripts MODE] [--assets DIR] PATH...

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
var HTML_EXTENSIONS = /* @__PURE__ */ new Set([".html", ".htm"]);
function isHtmlFile(path) {
  return HTML_EXTENSIONS.has(extname(path).toLowerCase());
}
function reason(error) {
  const code = error.code;
  if (code === "ENOENT") return "no such file or directory";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  return error instanceof Error ? error.message : String(error);
}
function walk(dir, root, skip, out) {
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
function isScriptPath(path) {
  return /^\/[A-Za-z0-9._~\-/]*$/.test(path) && !path.split("/").some((part) => part === "." || part === "..");
}
function sameOriginScripts(assets, bootstrapJs, bootstrapPath) {
  const scripts = /* @__PURE__ */ new Map();
  for (const asset of assets) scripts.set(asset.path, readFileSync(asset.file));
  if (bootstrapJs !== "") scripts.set(bootstrapPath, Buffer.from(bootstrapJs, "utf8"));
  return scripts;
}
function writeAtomically(path, data, mode) {
  mkdirSync(dirname(path), { recursive: true });
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  writeFileSync(temp, data);
  if (mode !== void 0) chmodSync(temp, mode & 4095);
  renameSync(temp, path);
}
function parseInjectArgs(args, io) {
  const usage = (message) => {
    io.stderr.write(`tracklet inject: ${message}

${INJECT_USAGE}`);
    return 2;
  };
  let parsed;
  try {
    parsed = parseInjectOptions(args);
  } catch (error) {
    return usage(error.message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(INJECT_USAGE);
    return 0;
  }
  if (values.config === void 0) return usage("--config FILE is required");
  if (positionals.length === 0) return usage("give at least one file or folder");
  const position = values.position ?? "head-end";
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
      `--bootstrap-path must be a root-relative URL path such as /tracklet/bootstrap.js (got "${bootstrapPath}")`
    );
  }
  if (values["bootstrap-path"] !== void 0 && mode !== "external") {
    return usage("--bootstrap-path only applies with --scripts external");
  }
  const { config, out, assets } = values;
  return { config, out, assets, position, mode, bootstrapPath, paths: positionals };
}
function parseInjectOptions(args) {
  return parseArgs2({
    args,
    options: {
      config: { type: "string", short: "c" },
      out: { type: "string", short: "o" },
      position: { type: "string", short: "p" },
      scripts: { type: "string", short: "s" },
      "bootstrap-path": { type: "string" },
      assets: { type: "string", short: "a" },
      help: { type: "boolean", short: "h" }
    },
    allowPositionals: true,
    strict: true
  });
}
function loadSnippet(request, io) {
  const { config, mode, bootstrapPath } = request;
  try {
    const loaded = loadConfig({ path: config, env: io.env, cwd: io.cwd });
    for (const warning of loaded.warnings) io.stderr.write(`warning: ${formatIssue2(warning)}
`);
    if (loaded.settings.tool === null) {
      io.stderr.write(`tracklet inject: ${config}: analytics_tool is not set, so there is no snippet
`);
      return void 0;
    }
    const snippet = createSnippet(loaded.settings);
    const external = mode === "external";
    return {
      html: external ? snippet.html({ mode, bootstrapPath }) : snippet.html(),
      scripts: sameOriginScripts(snippet.assets ?? [], external ? snippet.bootstrapJs : "", bootstrapPath)
    };
  } catch (error) {
    if (error instanceof ConfigError2) {
      for (const issue of error.issues) io.stderr.write(`error: ${formatIssue2(issue)}
`);
    } else {
      io.stderr.write(`tracklet inject: ${config}: ${reason(error)}
`);
    }
    return void 0;
  }
}
var InjectRun = class {
  constructor(request, snippetHtml, io) {
    this.request = request;
    this.snippetHtml = snippetHtml;
    this.io = io;
    this.outDir = request.out === void 0 ? void 0 : resolve(io.cwd, request.out);
  }
  request;
  snippetHtml;
  io;
  counts = { injected: 0, present: 0, none: 0, errors: 0 };
  outDir;
  error(path, message) {
    this.counts.errors++;
    this.io.stderr.write(`error              ${path}: ${message}
`);
  }
  show(path) {
    return relative(this.io.cwd, path) || path;
  }
  /** Writes the scripts into `--assets DIR` at their URL paths, or says which ones the pages need. */
  writeScripts(scripts) {
    if (this.request.assets === void 0) {
      if (scripts.size > 0) {
        this.io.stderr.write(
          `note: the pages load ${[...scripts.keys()].join(", ")} from your site; --assets DIR writes those files for you
`
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
        writeAtomically(destination, body, void 0);
        this.io.stdout.write(`script             ${path} -> ${this.show(destination)}
`);
      } catch (e) {
        this.error(this.show(destination), reason(e));
      }
    }
  }
  /** Every HTML file a command-line path names: the file itself, or those found under the folder. */
  injectPath(arg) {
    const full = resolve(this.io.cwd, arg);
    const targets = [];
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
  injectFile(target) {
    const { outDir, io } = this;
    try {
      const stat = statSync(target.path);
      const original = readFileSync(target.path);
      const result = injectHtmlBuffer(original, this.snippetHtml, { position: this.request.position });
      const destination = outDir === void 0 ? target.path : join(outDir, target.outName);
      if (result.outcome === "injected") {
        writeAtomically(destination, result.body, stat.mode);
        this.counts.injected++;
        const shownDestination = outDir ? ` -> ${this.show(destination)}` : "";
        io.stdout.write(`injected           ${this.show(target.path)}${shownDestination}
`);
        return;
      }
      if (outDir !== void 0) writeAtomically(destination, original, stat.mode);
      if (result.outcome === "already-present") this.counts.present++;
      else this.counts.none++;
      const label = result.outcome === "already-present" ? "already present   " : "no insertion point";
      io.stdout.write(`${label} ${this.show(target.path)}
`);
    } catch (e) {
      this.error(this.show(target.path), reason(e));
    }
  }
  /** Prints the totals; the exit status is 1 when any file or script failed. */
  finish() {
    const { injected, present, none, errors } = this.counts;
    this.io.stdout.write(
      `${injected} injected, ${present} already present, ${none} without insertion point, ${errors} error${errors === 1 ? "" : "s"}
`
    );
    return errors > 0 ? 1 : 0;
  }
};
async function runInject(args, io) {
  const request = parseInjectArgs(args, io);
  if (typeof request === "number") return request;
  const snippet = loadSnippet(request, io);
  if (snippet === void 0) return 1;
  const run = new InjectRun(request, snippet.html, io);
  run.writeScripts(snippet.scripts);
  for (const path of request.paths) run.injectPath(path);
  return run.finish();
}

// src/cli/main.ts
var USAGE = `Usage: tracklet <command> [options]

Commands:
  check    validate the [webserver] analytics config and print the resolved settings
  inject   put the configured snippet into static .html/.htm files

Options:
  -h, --help      show this help (tracklet <command> --help for a command's options)
  -v, --version   print the version
`;
function packageVersion() {
  let dir = dirname2(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const file = join2(dir, "package.json");
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync2(file, "utf8"));
      if (pkg.name === "@tracklet/injector" && pkg.version) return pkg.version;
    }
    dir = dirname2(dir);
  }
  return "unknown";
}
function defaultIo() {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
}
async function main(argv, io = defaultIo()) {
  const [command, ...rest] = argv;
  switch (command) {
    case "check":
      return runCheck(rest, io);
    case "inject":
      return runInject(rest, io);
    case void 0:
    case "-h":
    case "--help":
    case "help":
      if (command === "help" && rest[0] === "check") io.stdout.write(CHECK_USAGE);
      else if (command === "help" && rest[0] === "inject") io.stdout.write(INJECT_USAGE);
      else (command === void 0 ? io.stderr : io.stdout).write(USAGE);
      return command === void 0 ? 2 : 0;
    case "-v":
    case "--version":
      io.stdout.write(`${packageVersion()}
`);
      return 0;
    default:
      io.stderr.write(`tracklet: unknown command "${command}"

${USAGE}`);
      return 2;
  }
}
export {
  USAGE,
  main,
  packageVersion
};
//# sourceMappingURL=cli.js.map