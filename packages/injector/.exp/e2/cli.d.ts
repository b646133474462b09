import { Env } from '@tracklet/config';

/** Where `tracklet check` reads and writes; `process` fits, tests pass strings collectors. */
interface CheckIo {
    stdout: {
        write(chunk: string): unknown;
    };
    stderr: {
        write(chunk: string): unknown;
    };
    env: Env;
    cwd: string;
}

declare const USAGE = "Usage: tracklet <command> [options]\n\nCommands:\n  check    validate the [webserver] analytics config and print the resolved settings\n  inject   put the configured snippet into static .html/.htm files\n\nOptions:\n  -h, --help      show this help (tracklet <command> --help for a command's options)\n  -v, --version   print the version\n";
/** The package version, from the nearest package.json up from this module (src/cli or dist). */
declare function packageVersion(): string;
/** The `tracklet` command line. Returns the exit status. */
declare function main(argv: string[], io?: CheckIo): Promise<number>;

export { USAGE, main, packageVersion };
