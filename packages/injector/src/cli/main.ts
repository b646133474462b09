import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { CHECK_USAGE, type CheckIo, runCheck } from "./check.js";
import { INJECT_USAGE, runInject } from "./inject.js";

export const USAGE = `Usage: tracklet <command> [options]

Commands:
  check    validate the [webserver] analytics config and print the resolved settings
  inject   put the configured snippet into static .html/.htm files

Options:
  -h, --help      show this help (tracklet <command> --help for a command's options)
  -v, --version   print the version
`;

/** The package version, from the nearest package.json up from this module (src/cli or dist). */
export function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const file = join(dir, "package.json");
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
      if (pkg.name === "@tracklet/injector" && pkg.version) return pkg.version;
    }
    dir = dirname(dir);
  }
  return "unknown";
}

function defaultIo(): CheckIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
}

/** The `tracklet` command line. Returns the exit status. */
export async function main(argv: string[], io: CheckIo = defaultIo()): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "check":
      return runCheck(rest, io);
    case "inject":
      return runInject(rest, io);
    case undefined:
    case "-h":
    case "--help":
    case "help":
      if (command === "help" && rest[0] === "check") io.stdout.write(CHECK_USAGE);
      else if (command === "help" && rest[0] === "inject") io.stdout.write(INJECT_USAGE);
      else (command === undefined ? io.stderr : io.stdout).write(USAGE);
      return command === undefined ? 2 : 0;
    case "-v":
    case "--version":
      io.stdout.write(`${packageVersion()}\n`);
      return 0;
    default:
      io.stderr.write(`tracklet: unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}
