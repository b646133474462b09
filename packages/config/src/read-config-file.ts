import { readFileSync } from "node:fs";
import { ConfigError } from "./config-error.js";

export interface ReadConfigFileOptions {
  /** How the file is named in messages; default: the path. */
  shown?: string;
  /** Return `null` instead of throwing when the file does not exist. */
  optional?: boolean;
  /** Appended to the "cannot read" message, e.g. ` (from TRACKLET_CONFIG)`. */
  note?: string;
}

/**
 * The text of a config file, which must be UTF-8. A file that cannot be read throws a {@link ConfigError}
 * saying why (`file not found`, `is a directory`, ...) rather than a bare errno.
 */
export function readConfigFile(
  path: string,
  options: ReadConfigFileOptions & { optional: true },
): string | null;
export function readConfigFile(path: string, options?: ReadConfigFileOptions): string;
export function readConfigFile(path: string, options: ReadConfigFileOptions = {}): string | null {
  const shown = options.shown ?? path;
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" && options.optional) return null;
    const reason =
      code === "ENOENT" ? "file not found" : code === "EISDIR" ? "is a directory" : (code ?? String(error));
    throw new ConfigError([
      { severity: "error", where: shown, message: `cannot read config file${options.note ?? ""}: ${reason}` },
    ]);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new ConfigError([{ severity: "error", where: shown, message: "the file is not valid UTF-8" }]);
  }
}
