import { parseArgs } from "node:util";
import { ConfigError, type ConfigIssue, type Env, formatIssue } from "@tracklet/config";
import { formatSettings, maskSettings } from "../config/mask-settings.js";
import { DEFAULT_PREFIXES, loadConfig } from "../config/parse-config.js";

/** Where `tracklet check` reads and writes; `process` fits, tests pass strings collectors. */
export interface CheckIo {
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
  env: Env;
  cwd: string;
}

export const CHECK_USAGE = `Usage: tracklet check [--config FILE] [--prefix PREFIX] [--json]

Resolve the [webserver] analytics settings from FILE (default: $TRACKLET_CONFIG, else ./airflow.cfg) and
PREFIX__WEBSERVER__* environment overrides (default prefix TRACKLET; AIRFLOW__ also works), then print them
with secrets masked. Exit status: 0 valid, 1 invalid config, 2 usage error.

  --config FILE    config file to read
  --prefix PREFIX  env override prefix that wins over AIRFLOW (upper case, e.g. MYAPP)
  --json           print {ok, file, settings, warnings, errors} as JSON
  -h, --help       show this help
`;

/**
 * `tracklet check`: print the resolved settings (secrets masked, with sources) and warnings and return 0,
 * or print every error and return 1; 2 for usage errors.
 */
export async function runCheck(args: string[], io: CheckIo): Promise<number> {
  let values: { config?: string; prefix?: string; json?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        config: { type: "string", short: "c" },
        prefix: { type: "string" },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      allowPositionals: false,
      strict: true,
    }));
  } catch (error) {
    io.stderr.write(`tracklet check: ${(error as Error).message}\n\n${CHECK_USAGE}`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(CHECK_USAGE);
    return 0;
  }
  if (values.prefix !== undefined && !/^[A-Z][A-Z0-9_]*$/.test(values.prefix)) {
    io.stderr.write(`tracklet check: --prefix must be upper case letters, digits and "_" (e.g. MYAPP)\n`);
    return 2;
  }
  const prefixes = values.prefix === undefined ? DEFAULT_PREFIXES : [...new Set([values.prefix, "AIRFLOW"])];
  try {
    const loaded = loadConfig({
      env: io.env,
      cwd: io.cwd,
      prefixes,
      ...(values.config !== undefined ? { path: values.config } : {}),
    });
    if (values.json) {
      const report = {
        ok: true,
        file: loaded.file,
        settings: maskSettings(loaded.settings),
        warnings: loaded.warnings,
        errors: [],
      };
      io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      return 0;
    }
    const source = loaded.file ?? "no config file (environment only)";
    io.stdout.write(`tracklet check: ${source}\n${formatSettings(loaded.settings)}\n`);
    writeIssues(io.stdout, "warning", loaded.warnings);
    const { tool, mode } = loaded.settings;
    let state = tool === null ? "injection is off" : `injecting the ${tool} snippet`;
    if (tool !== null && tool !== "tracklet" && mode === "first_party")
      state = `injecting tracklet's SDK; the collector forwards its events to ${tool}`;
    if (tool !== null && tool !== "tracklet" && mode === "both")
      state = `injecting the ${tool} snippet and tracklet's SDK (stored, not forwarded)`;
    io.stdout.write(`OK: ${state}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    if (values.json) {
      const report = {
        ok: false,
        file: null,
        settings: null,
        warnings: error.warnings,
        errors: error.issues,
      };
      io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      return 1;
    }
    writeIssues(io.stderr, "error", error.issues);
    writeIssues(io.stderr, "warning", error.warnings);
    const count = error.issues.length;
    io.stderr.write(`tracklet check: ${count} error${count === 1 ? "" : "s"}; the config cannot be used\n`);
    return 1;
  }
}

function writeIssues(out: CheckIo["stdout"], label: string, issues: readonly ConfigIssue[]): void {
  for (const issue of issues) out.write(`${label}: ${formatIssue(issue)}\n`);
}
