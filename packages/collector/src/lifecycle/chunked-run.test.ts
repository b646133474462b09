import { describe, expect, it } from "vitest";
import { runInChunks } from "./chunked-run.js";
import { type LongOperationProgress, OperationInterrupted } from "./long-operation.js";

/** A run over `rows` units whose chunks take `msPerUnit` each on a fake clock; records each chunk's limit. */
function fakeRun(rows: number, msPerUnit: number) {
  let clock = 0;
  let left = rows;
  const limits: number[] = [];
  return {
    limits,
    now: () => clock,
    run: {
      task: "test",
      total: rows,
      chunk: async (limit: number) => {
        limits.push(limit);
        const done = Math.min(limit, left);
        left -= done;
        clock += done * msPerUnit;
        return { done, finished: left === 0 };
      },
    },
  };
}

describe("runInChunks", () => {
  it("grows quick chunks at most twofold and sizes slow ones to the time budget", async () => {
    const quick = fakeRun(100_000, 0.001);
    expect(await runInChunks(quick.run, {}, { now: quick.now })).toBe(100_000);
    expect(quick.limits.slice(0, 4)).toEqual([1000, 2000, 4000, 8000]);

    const slow = fakeRun(5_000, 1);
    await runInChunks(slow.run, {}, { now: slow.now, budgetMs: 100 });
    // 1000 units take 1 s: the next chunk is sized to three quarters of 100 ms, and held there.
    expect(slow.limits.slice(0, 4)).toEqual([1000, 75, 75, 75]);
  });

  it("reports progress after every chunk", async () => {
    const fake = fakeRun(2500, 0.001);
    const seen: LongOperationProgress[] = [];
    await runInChunks(fake.run, { onProgress: (p) => seen.push(p) }, { now: fake.now });
    expect(seen).toEqual([
      { task: "test", done: 1000, total: 2500 },
      { task: "test", done: 2500, total: 2500 },
    ]);
  });

  it("stops between chunks once its signal is aborted", async () => {
    const fake = fakeRun(10_000, 0.001);
    const controller = new AbortController();
    const run = runInChunks(
      fake.run,
      { signal: controller.signal, onProgress: () => controller.abort() },
      { now: fake.now },
    );
    await expect(run).rejects.toThrow(OperationInterrupted);
    await expect(run).rejects.toThrow("test interrupted; the store is consistent");
    expect(fake.limits).toHaveLength(1);
  });
});
