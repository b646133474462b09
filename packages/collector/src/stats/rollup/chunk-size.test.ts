import { describe, expect, it } from "vitest";
import { ChunkSize } from "./chunk-size.js";

describe("ChunkSize", () => {
  it("grows at most twofold while chunks stay under the target", () => {
    const size = new ChunkSize(60, 24, 2);
    size.record(2, 5);
    expect(size.hours).toBe(4);
    size.record(4, 5);
    expect(size.hours).toBe(8);
  });

  it("shrinks to what fits the target after a slow chunk", () => {
    const size = new ChunkSize(60, 24, 8);
    size.record(8, 10);
    size.record(16, 240);
    expect(size.hours).toBe(4);
  });

  it("stays between one hour and the maximum", () => {
    const size = new ChunkSize(60, 24, 16);
    size.record(16, 10_000);
    expect(size.hours).toBe(1);
    for (let i = 0; i < 10; i++) size.record(size.hours, 1);
    expect(size.hours).toBe(24);
  });

  it("aims at twice the quickest chunk when fixed costs alone pass the target", () => {
    // 100 ms per chunk plus 10 ms per hour: the 60 ms target cannot be met, so it aims at about 200 ms.
    const size = new ChunkSize(60, 24, 1);
    for (let i = 0; i < 20; i++) size.record(size.hours, 100 + 10 * size.hours);
    expect(size.hours).toBeGreaterThanOrEqual(8);
    expect(size.hours).toBeLessThanOrEqual(12);
  });
});
