import { describe, expect, it } from "vitest";
import { list, readScriptOptions } from "./config.js";

/**
 * A script element with these attributes. Its `dataset` is the plain object a browser's enumerates as: happy-dom's
 * leaves attributes with an empty value out of `for…in` (its property descriptor treats "" as absent).
 */
const script = (attrs: Record<string, string>, src = "https://cdn.example.com/js/tracklet.js") => {
  const el = document.createElement("script");
  el.src = src;
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  const dataset = Object.fromEntries(
    Object.entries(attrs)
      .filter(([k]) => k.startsWith("data-"))
      .map(([k, v]) => [k.slice(5), v]),
  );
  Object.defineProperty(el, "dataset", { value: dataset });
  return el;
};

describe("readScriptOptions", () => {
  it("defaults the endpoint to collect beside the script", () => {
    expect(readScriptOptions(script({})).endpoint).toBe("https://cdn.example.com/js/collect");
    const served = script({}, "https://shop.example/tracklet/tracklet.js");
    expect(readScriptOptions(served).endpoint).toBe("https://shop.example/tracklet/collect");
  });

  it("takes data-endpoint as given, and none for bridge-only", () => {
    expect(readScriptOptions(script({ "data-endpoint": "https://c.example.org/e" })).endpoint).toBe(
      "https://c.example.org/e",
    );
    expect(readScriptOptions(script({ "data-endpoint": "none" })).endpoint).toBe("none");
  });

  it("reads empty and 'true' attributes as true, 'false' as false, anything else as a string", () => {
    const o = readScriptOptions(
      script({
        "data-hash": "",
        "data-outbound": "true",
        "data-tagged": "false",
        "data-downloads": "pdf,zip",
      }),
    );
    expect(o).toMatchObject({ hash: true, outbound: true, tagged: false, downloads: "pdf,zip" });
  });

  it("reads every documented attribute", () => {
    const o = readScriptOptions(
      script({
        "data-site": "shop",
        "data-include": "/app/*",
        "data-exclude": "/admin/* /login",
        "data-bridge": "analytics,gtag",
        "data-mask": "order_ref",
        "data-debug": "",
        "data-auto": "false",
        "data-engagement": "false",
        "data-automation": "",
      }),
    );
    expect(o).toMatchObject({
      site: "shop",
      include: "/app/*",
      exclude: "/admin/* /login",
      bridge: "analytics,gtag",
      mask: "order_ref",
      debug: true,
      auto: false,
      engagement: false,
      automation: true,
    });
  });

  it("resolves the default endpoint against the page without a script element", () => {
    expect(readScriptOptions(null).endpoint).toBe(new URL("collect", location.href).href);
  });
});

describe("list", () => {
  it("splits at commas and spaces and drops empty items", () => {
    expect(list(" pdf, zip  ,,mp4 ")).toEqual(["pdf", "zip", "mp4"]);
  });
  it("reads arrays item by item and turns anything else into an empty list", () => {
    expect(list(["a", "b c"])).toEqual(["a", "b", "c"]);
    expect(list(true)).toEqual([]);
    expect(list(false)).toEqual([]);
    expect(list(undefined)).toEqual([]);
  });
});
