import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { encodeWithSnippet } from "./encode-with-snippet.js";

const asciiSnippet = Buffer.from('<script data-tracklet-snippet nonce="abc">x</script>');
const nonAsciiSnippet = Buffer.from('<script data-tracklet-snippet nonce="\u00e9">x</script>');

/** The reference: the page with the snippet, encoded the plain way. */
const reference = (page: string, at: number, snippet: Buffer) =>
  Buffer.concat([Buffer.from(page.slice(0, at)), snippet, Buffer.from(page.slice(at))]);

afterEach(() => {
  vi.restoreAllMocks();
});

describe.each([
  ["an ASCII snippet", asciiSnippet],
  ["a non-ASCII snippet", nonAsciiSnippet],
])("encodeWithSnippet, %s", (_snippetName, snippet) => {
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
    // In a buffer sized for ASCII, "</head>\u00e9" fills the tail's room exactly: bytes written equal its characters.
    ["UTF-8 that fills the ASCII-sized room exactly", "<head></head>\u00e9a"],
    ["characters whose low byte is ASCII (\u0141 is U+0141)", "<head>\u0141</head>\u0141\u0121"],
    // Three bytes a character: the head takes more room than the whole page was given.
    ["a head that alone outgrows the room", `<head>${"\u4e16".repeat(200)}</head><body></body>`],
    ["a head that leaves too little room for the snippet", `${"\u4e16".repeat(20)}</head>`],
    ["an emoji where the room runs out", `<head></head>${"\u{1F600}".repeat(3)}`],
  ])("%s: the same bytes as Buffer.from, with the snippet inserted", (_name, page) => {
    const at = page.indexOf("</head>");
    const out = encodeWithSnippet(page, at, snippet);
    expect(out.equals(reference(page, at, snippet))).toBe(true);
  });

  it("inserts at the start and at the end", () => {
    for (const page of ["<p>caf\u00e9</p>", "<p>cafe</p>"]) {
      expect(encodeWithSnippet(page, 0, snippet).equals(reference(page, 0, snippet))).toBe(true);
      const end = page.length;
      expect(encodeWithSnippet(page, end, snippet).equals(reference(page, end, snippet))).toBe(true);
    }
    expect(encodeWithSnippet("", 0, snippet).equals(snippet)).toBe(true);
  });

  it("any string, any insertion point between characters: the reference bytes", () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.oneof(
            { weight: 6, arbitrary: fc.constantFrom("a", "<", "\n") },
            { weight: 1, arbitrary: fc.constantFrom("\u00e9", "\u0141", "\u4e16", "\u{1F600}") },
          ),
        }),
        fc.nat(),
        (page, n) => {
          // Between two characters (never inside a surrogate pair), as the insertion finder answers.
          const starts = [0];
          for (const ch of page) starts.push((starts.at(-1) as number) + ch.length);
          const at = starts[n % starts.length] as number;
          expect(encodeWithSnippet(page, at, snippet).equals(reference(page, at, snippet))).toBe(true);
        },
      ),
    );
  });
});

describe("encodeWithSnippet's passes over the page", () => {
  const page = `<html><head><title>x</title></head><body>${"<p>plain</p>".repeat(100)}</body></html>`;
  const at = page.indexOf("</head>");

  it("an ASCII page is encoded once: its UTF-8 length is never measured", () => {
    const byteLength = vi.spyOn(Buffer, "byteLength");
    expect(encodeWithSnippet(page, at, asciiSnippet).equals(reference(page, at, asciiSnippet))).toBe(true);
    expect(byteLength).not.toHaveBeenCalled();
  });

  it("a page with other characters is measured, then encoded", () => {
    const other = `${page}\u00e9`;
    const byteLength = vi.spyOn(Buffer, "byteLength");
    expect(encodeWithSnippet(other, at, asciiSnippet).equals(reference(other, at, asciiSnippet))).toBe(true);
    expect(byteLength).toHaveBeenCalled();
  });
});
