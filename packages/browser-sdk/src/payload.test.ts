import { describe, expect, it } from "vitest";
import { buildEvent, cleanProps, serialize } from "./payload.js";
import { WIRE_LIMITS, type WireEvent } from "./wire.js";

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

describe("buildEvent + serialize", () => {
  it("builds a pageview in the wire shape", () => {
    const ev = buildEvent("pageview", "shop", "https://a.test/", {
      referrer: "https://r.test/",
      title: "Home",
    });
    expect(JSON.parse(serialize(ev))).toEqual({
      type: "pageview",
      site: "shop",
      url: "https://a.test/",
      referrer: "https://r.test/",
      title: "Home",
      sw: screen.width,
    });
  });

  it("clips every string to its WIRE_LIMITS and leaves empty strings out", () => {
    const ev = buildEvent("event", "s".repeat(300), `https://a.test/${"u".repeat(3000)}`, {
      name: "n".repeat(200),
      title: "",
      props: { long: "v".repeat(1000) },
    });
    const out = JSON.parse(serialize(ev)) as WireEvent & { name: string };
    expect(out.site).toHaveLength(WIRE_LIMITS.maxSiteLength);
    expect(out.url).toHaveLength(WIRE_LIMITS.maxUrlLength);
    expect(out.name).toHaveLength(WIRE_LIMITS.maxNameLength);
    expect(out.props?.long).toHaveLength(WIRE_LIMITS.maxPropValueLength);
    expect("title" in out).toBe(false);
  });

  it("serialises several events in the batch form", () => {
    const a = buildEvent("pageview", "s", "https://a.test/", {});
    const b = buildEvent("engagement", "s", "https://a.test/", { engagedMs: 1200 });
    expect(JSON.parse(serialize({ batch: [a, b] })).batch).toHaveLength(2);
  });
});
