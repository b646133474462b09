import { describe, expect, it } from "vitest";
import { cleanProps } from "./payload.js";
import { WIRE_LIMITS } from "./wire.js";

describe("cleanProps", () => {
  it("keeps scalars and drops objects, arrays and functions", () => {
    expect(cleanProps({ a: 1, b: "x", c: true, d: null, e: { x: 1 }, f: [1], g: () => 1 })).toEqual({
      a: 1,
      b: "x",
      c: true,
      d: null,
    });
  });
  it("keeps at most maxProps props and clips keys", () => {
    const many = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, i]));
    expect(Object.keys(cleanProps(many) ?? {})).toHaveLength(WIRE_LIMITS.maxProps);
    const key = "k".repeat(100);
    expect(Object.keys(cleanProps({ [key]: 1 }) ?? {})[0]).toHaveLength(WIRE_LIMITS.maxPropKeyLength);
  });
  it("returns undefined for no props", () => {
    expect(cleanProps(undefined)).toBeUndefined();
    expect(cleanProps({})).toBeUndefined();
  });
});
