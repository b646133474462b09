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
    size.record(8, 240);
    expect(size.hours).toBe(2);
  });

  it("stays between one hour and the maximum", () => {
    const size = new ChunkSize(60, 24, 16);
    size.record(1, 10_000);
    expect(size.hours).toBe(1);
    for (let i = 0; i < 10; i++) size.record(size.hours, 1);
    expect(size.hours).toBe(24);
  });
});
