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

  it("forgets everything on clear()", () => {
    const cache = new BoundedCache<string, number>(10);
    cache.get("a", () => 1);
    cache.clear();
    expect(cache.size).toBe(0);
    expect(cache.get("a", () => 2)).toBe(2);
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

  it("stays within its size and keeps recently used entries over older ones", () => {
    const cache = new BoundedCache<number, number>(4);
    for (const k of [1, 2, 3, 4]) cache.get(k, (n) => n * 10);
    cache.get(1, () => -1); // 1 is used again: it moves to the newest generation
    for (const k of [5, 6]) cache.get(k, (n) => n * 10);
    for (let k = 0; k < 100; k++) {
      cache.get(k, (n) => n);
      expect(cache.size).toBeLessThanOrEqual(4);
    }
    const fresh = new BoundedCache<number, number>(4);
    for (const k of [1, 2, 3, 4]) fresh.get(k, (n) => n * 10);
    fresh.get(1, () => -1);
    fresh.get(5, (n) => n * 10); // 2 and 3 are now the least recently used
    expect(fresh.get(1, () => -1)).toBe(10);
    expect(fresh.get(5, () => -5)).toBe(50);
    expect(fresh.get(2, () => -2)).toBe(-2);
  });
});
