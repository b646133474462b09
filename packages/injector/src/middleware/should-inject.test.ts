import { describe, expect, it } from "vitest";
import { isHtml, skipReason } from "./should-inject.js";

describe("isHtml", () => {
  it.each([
    "text/html",
    "text/html; charset=utf-8",
    "text/html;charset=UTF-8",
    "TEXT/HTML; charset=utf-8",
    " text/html ; charset=utf-8",
    "Text/Html",
    "application/xhtml+xml",
    "APPLICATION/XHTML+XML; charset=utf-8",
  ])("%s is HTML", (type) => {
    expect(isHtml(type)).toBe(true);
  });

  it.each([
    "application/json; charset=utf-8",
    "application/json",
    "text/plain",
    "text/htmlx",
    "text/html-sandboxed",
    "text/xhtml",
    "image/svg+xml",
    "application/xhtml+xmlx",
    "",
    ";",
  ])("%s is not HTML", (type) => {
    expect(isHtml(type)).toBe(false);
  });

  it("an absent Content-Type is not HTML", () => {
    expect(isHtml(undefined)).toBe(false);
  });
});

describe("skipReason", () => {
  const headers =
    (values: Record<string, string>) =>
    (name: string): string | undefined =>
      values[name];

  it("injects a 200 HTML page", () => {
    expect(skipReason("GET", 200, headers({ "content-type": "text/html" }), false)).toBeNull();
  });

  it("names why a page is left alone", () => {
    const html = { "content-type": "text/html" };
    expect(skipReason("GET", 204, headers(html), false)).toBe("status 204");
    expect(skipReason("GET", 404, headers(html), false)).toBe("status 404");
    expect(skipReason("GET", 404, headers(html), true)).toBeNull();
    expect(skipReason("GET", 200, headers({ "content-type": "application/json" }), false)).toBe("not HTML");
    expect(skipReason("GET", 200, headers({ ...html, "content-encoding": "gzip" }), false)).toBe(
      "already encoded",
    );
    expect(skipReason("GET", 200, headers({ ...html, "content-encoding": " Identity " }), false)).toBeNull();
    expect(skipReason("GET", 200, headers({ ...html, "cache-control": "public, No-Transform" }), false)).toBe(
      "Cache-Control: no-transform",
    );
    expect(skipReason("GET", 200, headers({ ...html, "content-range": "bytes 0-9/100" }), false)).toBe(
      "partial content",
    );
  });
});
