import { describe, expect, it } from "vitest";
import { htmlAttribute, jsString, urlComponent } from "./escape.js";

describe("jsString", () => {
  it.each([
    ["plain", '"plain"'],
    ["</script><!--", '"\\u003c/script\\u003e\\u003c!--"'],
    [`a'b"c\\d`, '"a\\u0027b\\"c\\\\d"'],
    ["&amp;", '"\\u0026amp;"'],
    ["line\u2028sep\u2029", '"line\\u2028sep\\u2029"'],
    ["nul\u0000tab\t", '"nul\\u0000tab\\t"'],
    ["é😀", '"\\u00e9\\ud83d\\ude00"'],
  ])("escapes %j as %s", (input, expected) => {
    expect(jsString(input)).toBe(expected);
  });

  it("round-trips through JSON.parse and stays ASCII", () => {
    const hostile = "</script>\u2028'\"\\\u0000é😀{{x}}";
    const out = jsString(hostile);
    expect(JSON.parse(out)).toBe(hostile);
    expect(/^[\x20-\x7e]*$/.test(out)).toBe(true);
  });
});

describe("htmlAttribute", () => {
  it.each([
    [`<a href="x">'&'`, "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;"],
    ["é\u2028😀", "&#233;&#8232;&#128512;"],
    ["nul\u0000", "nul&#xFFFD;"],
    ["new\nline", "new&#10;line"],
  ])("escapes %j as %j", (input, expected) => {
    expect(htmlAttribute(input)).toBe(expected);
  });
});

describe("urlComponent", () => {
  it.each([
    ["G-ABC123", "G-ABC123"],
    ["a b&c=d/e?f#g", "a%20b%26c%3Dd%2Fe%3Ff%23g"],
    ["it's(*)!", "it%27s%28%2A%29%21"],
    ['"<>', "%22%3C%3E"],
    ["lone\uD800", "lone%EF%BF%BD"],
  ])("encodes %j as %j", (input, expected) => {
    expect(urlComponent(input)).toBe(expected);
  });
});
