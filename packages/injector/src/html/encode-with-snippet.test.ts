import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeWithSnippet } from "./encode-with-snippet.js";

const snippet = Buffer.from('<script data-tracklet-snippet nonce="\u00e9">x</script>');

/** The reference: the page with the snippet, encoded the plain way. */
const reference = (page: string, at: number) =>
  Buffer.concat([Buffer.from(page.slice(0, at)), snippet, Buffer.from(page.slice(at))]);

describe("encodeWithSnippet", () => {
  it.each([
    ["an ASCII page", "<html><head><title>x</title></head><body>plain</body></html>"],
    [
      "a Latin-1 character (one-byte string, two UTF-8 bytes)",
      "<html><head><title>caf\u00e9</title></head></html>",
    ],
    ["a two-byte string holding only ASCII", "<html><head></head>\u4e16".slice(0, -1)],
    ["CJK and an emoji", "<html><head><title>\u4e16\u754c \u{1F600}</title></head><body></body></html>"],
    [
      "a lone surrogate (encoded as U+FFFD, as Buffer.from does)",
      "<html><head>\ud800</head><body>\udfff</body></html>",
    ],
  ])("%s: the same bytes as Buffer.from, with the snippet inserted", (_name, page) => {
    const at = page.indexOf("</head>");
    const out = encodeWithSnippet(page, at, snippet);
    expect(out.equals(reference(page, at))).toBe(true);
  });

  it("inserts at the start and at the end", () => {
    const page = "<p>caf\u00e9</p>";
    expect(encodeWithSnippet(page, 0, snippet).equals(reference(page, 0))).toBe(true);
    expect(encodeWithSnippet(page, page.length, snippet).equals(reference(page, page.length))).toBe(true);
    expect(encodeWithSnippet("", 0, snippet).equals(snippet)).toBe(true);
  });

  it("any string, any insertion point between characters: the reference bytes", () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.oneof(fc.constantFrom("a", "<", "\u00e9", "\u4e16"), fc.constantFrom("\u{1F600}")),
        }),
        fc.nat(),
        (page, n) => {
          // Between two characters (never inside a surrogate pair), as the insertion finder answers.
          const starts = [0];
          for (const ch of page) starts.push((starts.at(-1) as number) + ch.length);
          const at = starts[n % starts.length] as number;
          expect(encodeWithSnippet(page, at, snippet).equals(reference(page, at))).toBe(true);
        },
      ),
    );
  });
});
