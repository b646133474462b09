import { type IncomingMessage, ServerResponse } from "node:http";
import { describe, expect, it } from "vitest";
import { applyCors } from "./cors.js";

function exchange(headers: Record<string, string>): { req: IncomingMessage; res: ServerResponse } {
  const req = { headers, method: "POST" } as unknown as IncomingMessage;
  return { req, res: new ServerResponse(req) };
}

describe("applyCors", () => {
  it("lets requests without Origin through with Vary: Origin", () => {
    const { req, res } = exchange({ host: "collector.example" });
    expect(applyCors(req, res, ["https://app.example"])).toBe(true);
    expect(res.getHeader("vary")).toBe("Origin");
    expect(res.getHeader("access-control-allow-origin")).toBeUndefined();
  });

  it("adds Origin to an existing Vary once, keeping what was there", () => {
    const { req, res } = exchange({ host: "collector.example" });
    res.setHeader("Vary", "Accept-Encoding");
    applyCors(req, res, "*");
    expect(res.getHeader("vary")).toBe("Accept-Encoding, Origin");
    applyCors(req, res, "*");
    expect(res.getHeader("vary")).toBe("Accept-Encoding, Origin");
  });

  it("matches listed origins after normalising them, and answers the same on repeat", () => {
    for (let i = 0; i < 2; i++) {
      const { req, res } = exchange({ host: "collector.example", origin: "https://APP.example:443" });
      expect(applyCors(req, res, ["https://app.example"])).toBe(true);
      expect(res.getHeader("access-control-allow-origin")).toBe("https://APP.example:443");
    }
    const other = exchange({ host: "collector.example", origin: "https://app.example" });
    expect(applyCors(other.req, other.res, ["https://elsewhere.example"])).toBe(false);
  });

  it("sends the methods, headers and max age only on preflight answers", () => {
    const post = exchange({ host: "collector.example", origin: "https://app.example" });
    applyCors(post.req, post.res, ["https://app.example"]);
    expect(post.res.getHeader("access-control-allow-origin")).toBe("https://app.example");
    expect(post.res.getHeader("access-control-allow-methods")).toBeUndefined();
    const options = exchange({ host: "collector.example", origin: "https://app.example" });
    applyCors(options.req, options.res, ["https://app.example"], true);
    expect(options.res.getHeader("access-control-allow-methods")).toBe("POST, OPTIONS");
    expect(options.res.getHeader("access-control-allow-headers")).toBe("Content-Type");
    expect(options.res.getHeader("access-control-max-age")).toBe("86400");
  });

  it("allows the collector's own host without allow headers and refuses unparseable origins", () => {
    const own = exchange({ host: "collector.example:8787", origin: "http://collector.example:8787" });
    expect(applyCors(own.req, own.res, [])).toBe(true);
    expect(own.res.getHeader("access-control-allow-origin")).toBeUndefined();
    const bad = exchange({ host: "collector.example", origin: "null" });
    expect(applyCors(bad.req, bad.res, ["https://app.example"])).toBe(false);
  });

  it("judges one origin per allow-list and per Host, whatever was asked before", () => {
    const origin = "https://shop.example";
    const listA = ["https://shop.example"];
    const listB = ["https://blog.example"];
    const ask = (list: string[] | "*", host: string) => {
      const { req, res } = exchange({ host, origin });
      return [applyCors(req, res, list), res.getHeader("access-control-allow-origin") ?? null];
    };
    for (let round = 0; round < 2; round++) {
      expect(ask(listA, "collector.example")).toEqual([true, origin]);
      expect(ask(listB, "collector.example")).toEqual([false, null]);
      // Not listed, but posting to its own host (Host compared case-insensitively).
      expect(ask(listB, "SHOP.example")).toEqual([true, null]);
      expect(ask("*", "collector.example")).toEqual([true, "*"]);
    }
  });
});
