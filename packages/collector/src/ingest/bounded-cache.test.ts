import { describe, expect, it } from "vitest";
import { BoundedCache } from "./bounded-cache.js";

describe("BoundedCache", () => {
  it("computes a value once and answers later lookups from the cache", () => {
    const cache = new BoundedCache<string, number>(10);
    let calls = 0;
    const length = (s: string) => {
      calls++;
      return s.length;
    };
    expect(cache.get("abc", length)).toBe(3);
    expect(cache.get("abc", length)).toBe(3);
    expect(calls).toBe(1);
  });

  it("caches null results too", () => {
    const cache = new BoundedCache<string, string | null>(10);
    let calls = 0;
    const compute = (value: string | null) => () => {
      calls++;
      return value;
    };
    cache.get("x", compute(null));
    expect(cache.get("x", compute("other"))).toBeNull();
    expect(calls).toBe(1);
  });

  it("stays within its size, evicting the least recently used entry", () => {
    const cache = new BoundedCache<number, number>(3);
    for (const k of [1, 2, 3]) cache.get(k, (n) => n * 10);
    cache.get(1, () => -1); // 1 becomes the most recently used
    cache.get(4, (n) => n * 10); // evicts 2
    expect(cache.size).toBe(3);
    expect(cache.get(1, () => -1)).toBe(10);
    expect(cache.get(2, () => -2)).toBe(-2);
  });
});
