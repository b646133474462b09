import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError } from "./config-error.js";
import { readConfigFile } from "./read-config-file.js";

const dir = mkdtempSync(join(tmpdir(), "tracklet-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function failure(read: () => unknown): ConfigError {
  try {
    read();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("readConfigFile", () => {
  it("returns the text of a UTF-8 file", () => {
    const file = join(dir, "ok.cfg");
    writeFileSync(file, "[webserver]\nanalytics_site = café\n");
    expect(readConfigFile(file)).toContain("café");
  });

  it("says why a file cannot be read, under the name it was given", () => {
    expect(failure(() => readConfigFile(join(dir, "missing.cfg"), { shown: "missing.cfg" })).message).toBe(
      "missing.cfg: cannot read config file: file not found",
    );
    expect(
      failure(() => readConfigFile(dir, { shown: "dir", note: " (from TRACKLET_CONFIG)" })).message,
    ).toBe("dir: cannot read config file (from TRACKLET_CONFIG): is a directory");
  });

  it("returns null for a missing optional file, but still fails on other problems", () => {
    expect(readConfigFile(join(dir, "missing.cfg"), { optional: true })).toBeNull();
    expect(() => readConfigFile(dir, { optional: true })).toThrow("is a directory");
  });

  it("refuses bytes that are not UTF-8", () => {
    const file = join(dir, "latin1.cfg");
    writeFileSync(file, Buffer.from([0x5b, 0x78, 0x5d, 0x0a, 0x61, 0x3d, 0xe9, 0x0a]));
    expect(failure(() => readConfigFile(file, { shown: "latin1.cfg" })).issues).toEqual([
      { severity: "error", where: "latin1.cfg", message: "the file is not valid UTF-8" },
    ]);
  });
});
