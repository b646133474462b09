import { describe, expect, it } from "vitest";
import { cliLongOperation, progressLines } from "./long-operation-cli.js";

describe("progressLines", () => {
  it("prints at most one line per interval, and the last report on flush", () => {
    let clock = 0;
    const out: string[] = [];
    const lines = progressLines({ write: (t) => out.push(t), everyMs: 1000, now: () => clock });
    lines.onProgress({ task: "retention", done: 1000, total: 10_000 });
    clock = 1000;
    lines.onProgress({ task: "retention", done: 2000, total: 10_000 });
    clock = 1500;
    lines.onProgress({ task: "retention", done: 3000, total: 10_000 });
    lines.flush();
    lines.onProgress({ task: "erasure", done: 5, total: null });
    lines.flush();
    expect(out).toEqual([
      "retention: 2,000 of 10,000 (20%)\n",
      "retention: 3,000 of 10,000 (30%)\n",
      "erasure: 5\n",
    ]);
  });
});

describe("cliLongOperation", () => {
  it("aborts its signal on interrupt and stops listening when disposed", () => {
    let handler: (() => void) | undefined;
    const out: string[] = [];
    const long = cliLongOperation(
      (t) => out.push(t),
      (h) => {
        handler = h;
        return () => {
          handler = undefined;
        };
      },
    );
    expect(long.signal?.aborted).toBe(false);
    handler?.();
    expect(long.signal?.aborted).toBe(true);
    expect(out).toEqual(["interrupted: finishing the current chunk…\n"]);
    long.dispose();
    expect(handler).toBeUndefined();
  });
});
