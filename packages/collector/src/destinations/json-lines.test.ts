import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { collected } from "../../test/collected-event.js";
import { jsonLinesDestination } from "./json-lines.js";

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "tracklet-jsonl-"));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

const readLines = async (path: string) =>
  (await readFile(path, "utf8"))
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe("jsonLinesDestination", () => {
  it("appends one parseable JSON row per line, creating the directory, keeping existing content", async () => {
    const path = join(await tempDir(), "nested", "events.jsonl");
    const first = jsonLinesDestination({ path });
    first.accept([
      collected({ type: "event", name: "a", props: { text: "line\nbreak and \u2028 separator" } }),
    ]);
    await first.close();
    const again = jsonLinesDestination({ path });
    again.accept([collected({ type: "event", name: "b" }), collected({ type: "event", name: "c" })]);
    await again.close();
    const lines = await readLines(path);
    expect(lines.map((l) => l.name)).toEqual(["a", "b", "c"]);
    expect(lines[0]).toMatchObject({
      site: "shop.example",
      props: { text: "line\nbreak and \u2028 separator" },
    });
  });

  it("keeps lines whole and ordered when two destinations append to one file", async () => {
    const path = join(await tempDir(), "shared.jsonl");
    const a = jsonLinesDestination({ path, queue: { maxBatch: 7 } });
    const b = jsonLinesDestination({ path, queue: { maxBatch: 3 } });
    for (let i = 0; i < 500; i++) {
      a.accept([collected({ type: "event", name: "a", props: { i, pad: "p".repeat(i % 97) } })]);
      b.accept([collected({ type: "event", name: "b", props: { i } })]);
    }
    await Promise.all([a.close(), b.close()]);
    const lines = await readLines(path);
    expect(lines).toHaveLength(1000);
    for (const name of ["a", "b"]) {
      const seq = lines.filter((l) => l.name === name).map((l) => (l.props as { i: number }).i);
      expect(seq).toEqual([...Array(500).keys()]);
    }
  });

  it("retries a failed write with the same lines", async () => {
    const dir = await tempDir();
    // A file where the directory should be makes the open fail until it is removed.
    await writeFile(join(dir, "blocked"), "");
    const path = join(dir, "blocked", "events.jsonl");
    const destination = jsonLinesDestination({
      path,
      queue: { retryBaseMs: 20, flushAt: 1 },
      onError: () => {},
    });
    destination.accept([collected({ type: "event", name: "kept" })]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await rm(join(dir, "blocked"));
    await destination.close();
    expect((await readLines(path)).map((l) => l.name)).toEqual(["kept"]);
    expect(destination.metrics()).toMatchObject({ delivered: 1, dropped: 0, failed: 0 });
    expect(destination.metrics().retries).toBeGreaterThan(0);
  });
});
