import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createHtmlInjector } from "./html-injector.js";
import { findInsertionIndex, findInsertionPoint, injectHtml } from "./inject-html.js";

const SNIPPET = '<script data-tracklet-snippet src="/t.js"></script>';

const mixedCase = (word: string) =>
  fc
    .array(fc.boolean(), { minLength: word.length, maxLength: word.length })
    .map((flags) => [...word].map((c, i) => (flags[i] ? c.toUpperCase() : c)).join(""));

/** Head content that must not be mistaken for the end of the head. */
const headItem = fc.oneof(
  fc.constant('<meta charset="utf-8">'),
  fc.constant("<!-- </head> <body> -->"),
  fc.constant('<script>if (a < b) document.write("</head><body>")</script>'),
  mixedCase("style").map((s) => `<${s}>a::after{content:"</head>"}</${s}>`),
  fc.constant("<title>caf\u00e9 </head> \u{1F600}</title>"),
  fc.constant("<meta content='</head>' name=x>"),
  fc.constant("<noscript><img src=x></noscript>"),
  fc.constant("\n  "),
);

const bodyItem = fc.oneof(
  fc.constant("<p>h\u00e9llo \u4e16\u754c</p>"),
  fc.constant("<!-- </body> -->"),
  fc.constant("<script>var s = '</head>';</script>"),
  fc.constant('<div class="x">\u{1F680} text</div>'),
);

interface Doc {
  html: string;
  /** The document with the snippet where the rules put it, built independently of the scanner. */
  expected: string;
}

const documents: fc.Arbitrary<Doc> = fc
  .record({
    bom: fc.boolean(),
    doctype: fc.boolean(),
    htmlTag: fc.boolean(),
    kind: fc.constantFrom("head", "body-only", "fragment"),
    headTag: mixedCase("head"),
    headClose: fc.tuple(mixedCase("head"), fc.constantFrom("", " ", "\n\t")).map(([h, ws]) => `</${h}${ws}>`),
    bodyTag: fc
      .tuple(mixedCase("body"), fc.constantFrom("", ' class="a>b"', " onload='x()'"))
      .map(([b, a]) => `<${b}${a}>`),
    headItems: fc.array(headItem, { maxLength: 5 }),
    // The body starts with visible content (not a comment, not head content such as a script), so a fragment
    // always has something to put the snippet before.
    bodyItems: fc
      .tuple(bodyItem, fc.array(bodyItem, { maxLength: 4 }))
      .map(([first, rest]) => [
        first.startsWith("<!--") || first.startsWith("<script") ? "<p>x</p>" : first,
        ...rest,
      ]),
  })
  .map((r) => {
    const prefix = `${r.bom ? "\uFEFF" : ""}${r.doctype ? "<!DOCTYPE html>" : ""}`;
    const body = r.bodyItems.join("");
    if (r.kind === "head") {
      const before = `${prefix}${r.htmlTag ? "<html>" : ""}<${r.headTag}>${r.headItems.join("")}`;
      const after = `${r.headClose}${r.bodyTag}${body}</body>`;
      return { html: before + after, expected: before + SNIPPET + after };
    }
    if (r.kind === "body-only") {
      const before = `${prefix}${r.htmlTag ? "<html>" : ""}${r.bodyTag}`;
      return { html: before + body, expected: before + SNIPPET + body };
    }
    return { html: prefix + body, expected: prefix + SNIPPET + body };
  });

/** Random cut points over the byte length. */
function splitBytes(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const parts: Buffer[] = [];
  let last = 0;
  for (const p of points) {
    parts.push(bytes.subarray(last, p));
    last = p;
  }
  parts.push(bytes.subarray(last));
  return parts;
}

function count(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

describe("streaming injection (property)", () => {
  it("equals injectHtml on the whole body for any chunking, with the snippet exactly once", () => {
    fc.assert(
      fc.property(documents, fc.array(fc.nat(), { maxLength: 12 }), (doc, cuts) => {
        const bytes = Buffer.from(doc.html, "utf8");
        const injector = createHtmlInjector(SNIPPET);
        const out: Buffer[] = [];
        for (const part of splitBytes(bytes, cuts)) out.push(...injector.push(part));
        out.push(...injector.end());
        const streamed = Buffer.concat(out);
        const whole = injectHtml(bytes, SNIPPET);
        expect(streamed.equals(whole)).toBe(true);
        const text = streamed.toString("utf8");
        expect(text).toBe(doc.expected);
        expect(count(text, SNIPPET)).toBe(1);
        // Everything else is byte-identical.
        expect(text.replace(SNIPPET, "")).toBe(doc.html);
      }),
      { numRuns: 400 },
    );
  });

  it("findInsertionPoint on a whole body puts the snippet where injectHtml does, or nowhere", () => {
    fc.assert(
      fc.property(
        documents,
        fc.constantFrom("head-end", "head-start", "body-end" as const),
        fc.boolean(),
        (doc, position, marked) => {
          // A marked page carries the snippet where `head-end` put it, except for `head-start`: that position looks
          // for an earlier injection only in the 256 bytes after `<head…>` (see the README, "Streaming"), so its
          // marked page is one it injected itself.
          const markedPage =
            position === "head-start" ? injectHtml(doc.html, SNIPPET, { position }) : doc.expected;
          const bytes = Buffer.from(marked ? markedPage : doc.html, "utf8");
          const whole = injectHtml(bytes, SNIPPET, { position });
          const at = findInsertionPoint(bytes, position);
          if (at < 0) {
            expect(whole.equals(bytes)).toBe(true);
          } else {
            const spliced = Buffer.concat([bytes.subarray(0, at), Buffer.from(SNIPPET), bytes.subarray(at)]);
            expect(spliced.equals(whole)).toBe(true);
          }
          expect(at < 0).toBe(marked);
        },
      ),
      { numRuns: 400 },
    );
  });

  it("findInsertionIndex on a string is findInsertionPoint on its UTF-8 bytes, across its encoding slices", () => {
    fc.assert(
      fc.property(
        documents,
        fc.constantFrom("head-end", "head-start", "body-end" as const),
        fc.boolean(),
        fc.nat({ max: 6000 }),
        fc.constantFrom("", "\u00e9", "\u{1F600}", "\u4e16"),
        (doc, position, marked, padding, wide) => {
          // Padding in a head comment moves the insertion point past the first slices; wide characters make
          // byte offsets and string indexes differ, and may straddle a slice boundary.
          const pad = `<!--${`${wide}x`.repeat(padding)}-->`;
          const source = marked ? doc.expected : doc.html;
          const html = source.replace(/<head>/i, (head) => `${head}${pad}`);
          const bytes = Buffer.from(html, "utf8");
          const byteAt = findInsertionPoint(bytes, position);
          const at = findInsertionIndex(html, position);
          if (byteAt < 0) expect(at).toBe(-1);
          else expect(Buffer.byteLength(html.slice(0, at))).toBe(byteAt);
          expect(injectHtml(html, SNIPPET, { position })).toBe(
            at < 0 ? html : html.slice(0, at) + SNIPPET + html.slice(at),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it("never injects into a document that already carries the marker", () => {
    fc.assert(
      fc.property(documents, fc.array(fc.nat(), { maxLength: 8 }), (doc, cuts) => {
        const marked = doc.expected;
        const bytes = Buffer.from(marked, "utf8");
        const injector = createHtmlInjector(SNIPPET);
        const out: Buffer[] = [];
        for (const part of splitBytes(bytes, cuts)) out.push(...injector.push(part));
        out.push(...injector.end());
        expect(Buffer.concat(out).equals(bytes)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it("gives the same bytes streamed and whole for every position, with the snippet at most once", () => {
    fc.assert(
      fc.property(
        documents,
        fc.constantFrom("head-end", "head-start", "body-end" as const),
        fc.array(fc.nat(), { maxLength: 10 }),
        (doc, position, cuts) => {
          const bytes = Buffer.from(doc.html, "utf8");
          const injector = createHtmlInjector(SNIPPET, { position });
          const out: Buffer[] = [];
          for (const part of splitBytes(bytes, cuts)) out.push(...injector.push(part));
          out.push(...injector.end());
          const streamed = Buffer.concat(out);
          expect(streamed.equals(injectHtml(bytes, SNIPPET, { position }))).toBe(true);
          expect(count(streamed.toString("utf8"), SNIPPET)).toBe(1);
          expect(streamed.toString("utf8").replace(SNIPPET, "")).toBe(doc.html);
        },
      ),
      { numRuns: 300 },
    );
  });
});
