import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createTracker } from "../tracker/tracker.js";
import { createJsonLinesBackend } from "./json-lines.js";

const dirs: string[] = [];
async function tempFile(name = "events.jsonl"): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "tracklet-jsonl-"));
  dirs.push(dir);
  return join(dir, "nested", name);
}
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

const readLines = async (path: string) =>
  (await readFile(path, "utf8"))
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe("createJsonLinesBackend", () => {
  it("writes one parseable JSON object per line, appending to existing content", async () => {
    const path = await tempFile();
    const backend = createJsonLinesBackend({ path, flushInterval: 0 });
    const tracker = createTracker({ backends: [backend] });
    tracker.context("request", { user: "ann" }, () => {
      tracker.emit("a", { text: "line\nbreak and \u2028 separator", n: 1 });
    });
    tracker.emit("b", { big: 2n });
    await tracker.close();

    const again = createJsonLinesBackend({ path });
    again.send({ name: "c", timestamp: new Date(0).toISOString(), data: {}, context: {} });
    await again.close();

    const lines = await readLines(path);
    expect(lines.map((l) => l.name)).toEqual(["a", "b", "c"]);
    expect(lines[0]).toMatchObject({
      data: { text: "line\nbreak and \u2028 separator", n: 1 },
      context: { user: "ann" },
    });
    expect(lines[1]).toMatchObject({ data: { big: "2" } });
  });

  it("buffers until flush() or the size threshold", async () => {
    const path = await tempFile();
    const backend = createJsonLinesBackend({ path, flushInterval: 0, bufferBytes: 10_000 });
    backend.send({ name: "one", timestamp: "t", data: {}, context: {} });
    await backend.flush();
    expect(await readLines(path)).toHaveLength(1);
    backend.send({ name: "two", timestamp: "t", data: {}, context: {} });
    // Not yet written: below the threshold and no timer.
    expect(await readLines(path)).toHaveLength(1);
    const big = { name: "big", timestamp: "t", data: { blob: "x".repeat(20_000) }, context: {} };
    await backend.send(big);
    expect((await readLines(path)).map((l) => l.name)).toEqual(["one", "two", "big"]);
    await backend.close();
  });

  it("keeps lines whole and ordered when two backends in one process append to one file", async () => {
    const path = await tempFile();
    const a = createJsonLinesBackend({ path, bufferBytes: 512, flushInterval: 0 });
    const b = createJsonLinesBackend({ path, bufferBytes: 700, flushInterval: 0 });
    const sends: Array<void | Promise<void>> = [];
    for (let i = 0; i < 500; i++) {
      const data = { i, pad: "p".repeat(i % 97) };
      sends.push(a.send({ name: "a", timestamp: "t", data, context: {} }));
      sends.push(b.send({ name: "b", timestamp: "t", data, context: {} }));
    }
    await Promise.all(sends);
    await Promise.all([a.close(), b.close()]);
    const lines = await readLines(path);
    expect(lines).toHaveLength(1000);
    for (const name of ["a", "b"]) {
      const seq = lines.filter((l) => l.name === name).map((l) => (l.data as { i: number }).i);
      expect(seq).toEqual([...Array(500).keys()]);
    }
  });

  it("rejects a failed write and keeps its lines for the next flush", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tracklet-jsonl-"));
    dirs.push(dir);
    // A file where the directory should be makes the open fail until it is removed.
    await writeFile(join(dir, "blocked"), "");
    const path = join(dir, "blocked", "events.jsonl");
    const backend = createJsonLinesBackend({ path, flushInterval: 0 });
    backend.send({ name: "kept", timestamp: "t", data: {}, context: {} });
    await expect(backend.flush()).rejects.toThrow();
    await rm(join(dir, "blocked"));
    await backend.close();
    expect((await readLines(path)).map((l) => l.name)).toEqual(["kept"]);
    expect(backend.dropped).toBe(0);
  });

  it("flushes on its interval timer", async () => {
    const path = await tempFile();
    const backend = createJsonLinesBackend({ path, flushInterval: 5 });
    backend.send({ name: "timed", timestamp: "t", data: {}, context: {} });
    await expect.poll(async () => (await readLines(path).catch(() => [])).length).toBe(1);
    await backend.close();
  });
});
