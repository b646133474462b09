import { describe, expect, it } from "vitest";
import { buildEvent, cleanProps } from "./payload.js";
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

describe("buildEvent", () => {
  it("builds a pageview in the wire shape", () => {
    const ev = buildEvent("pageview", "shop", "https://a.test/", {
      referrer: "https://r.test/",
      title: "Home",
    });
    expect(JSON.parse(JSON.stringify(ev))).toEqual({
      type: "pageview",
      site: "shop",
      url: "https://a.test/",
      referrer: "https://r.test/",
      title: "Home",
      sw: screen.width,
    });
  });

  it("clips the title to its WIRE_LIMITS and leaves undefined fields out", () => {
    const ev = buildEvent("event", "s", "https://a.test/", { name: "n", title: "t".repeat(1000) });
    const out = JSON.parse(JSON.stringify(ev)) as WireEvent;
    expect(out.title).toHaveLength(WIRE_LIMITS.maxTitleLength);
    expect(Object.keys(out).sort()).toEqual(["name", "site", "sw", "title", "type", "url"]);
  });

  it("builds engagement events with engagedMs", () => {
    expect(buildEvent("engagement", "s", "https://a.test/", { engagedMs: 1200 })).toMatchObject({
      type: "engagement",
      engagedMs: 1200,
    });
  });
});
