import { describe, expect, it } from "vitest";
import { escapeAttr, escapeHtml, safeHref } from "./escape.js";

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
