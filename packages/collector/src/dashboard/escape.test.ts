import { describe, expect, it } from "vitest";
import { escapeAttr, escapeHtml, isolatedHtml, isolatedText, safeHref, visibleControls } from "./escape.js";

describe("escapeHtml", () => {
  it("turns markup characters into entities", () => {
    expect(escapeHtml(`<script>alert("x")</script>&'\``)).toBe(
      "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;&#96;",
    );
  });
  it("renders null and undefined as empty text", () => {
    expect(escapeHtml(null)).toBe("");
    expect(escapeHtml(undefined)).toBe("");
  });
});

describe("escapeAttr", () => {
  it("cannot be broken out of with quotes or control characters", () => {
    const out = escapeAttr(`" onmouseover="x\n\u0000`);
    expect(out).not.toContain('"');
    expect(out).not.toContain("\n");
    expect(out).toContain("&#10;");
    expect(out).toContain("&#0;");
  });
  it("writes bidi controls as character references", () => {
    expect(escapeAttr("shop\u202E")).toBe("shop&#8238;");
  });
});

describe("safeHref", () => {
  it("keeps same-origin paths and escapes them", () => {
    expect(safeHref("/tracklet/?site=a&b=<")).toBe("/tracklet/?site=a&amp;b=&lt;");
  });
  it.each([
    "javascript:alert(1)",
    "data:text/html,x",
    "//evil.example/",
    "/\\evil.example",
    "https://x.example/",
  ])("refuses %s", (url) => {
    expect(safeHref(url)).toBe("#");
  });
});

describe("visibleControls", () => {
  it.each([
    ["shop.example\u202E", "shop.example<U+202E>"],
    ["a\u0000b\u0007c\u007f\u0085", "a<U+0000>b<U+0007>c<U+007F><U+0085>"],
    ["\u2066x\u2069\u200e\u200f\u061c", "<U+2066>x<U+2069><U+200E><U+200F><U+061C>"],
    ["zero\u200bwidth\ufeff\u2060", "zero<U+200B>width<U+FEFF><U+2060>"],
    ["line\u2028para\u2029", "line<U+2028>para<U+2029>"],
  ])("shows %j as %j", (value, shown) => {
    expect(visibleControls(value)).toBe(shown);
  });

  it("keeps ordinary text, right-to-left letters and emoji joiners", () => {
    const text = "שלום مرحبا 👩‍👩‍👧 naïve";
    expect(visibleControls(text)).toBe(text);
  });
});

describe("isolatedHtml and isolatedText", () => {
  it("wraps a value in <bdi>, escaped, with its controls visible", () => {
    expect(isolatedHtml("amount\u202E<b>")).toBe("<bdi>amount&lt;U+202E&gt;&lt;b&gt;</bdi>");
  });
  it("wraps plain text between FSI and PDI, with its controls visible", () => {
    expect(isolatedText("shop\u202E")).toBe("\u2068shop<U+202E>\u2069");
  });
});
