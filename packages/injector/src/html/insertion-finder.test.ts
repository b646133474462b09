import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findInsertionIndex } from "./inject-html.js";
import { createInsertionFinder } from "./insertion-finder.js";

const heads = [
  '<!doctype html><html><head><meta charset="utf-8"><title>A</title></head>',
  "<!doctype html><html><head><title>A</title><!-- </head> --></head>",
  '<html><head><script data-tracklet-snippet="x"></script></head>',
  "<html><HEAD><style>p::after{content:'</head>'}</style></HEAD >",
  '<meta charset="utf-8"><title>caf\u00e9</title>',
  "<html><body>",
  "<p>fragment",
  "",
];
const bodies = [
  "<body><p>x</p></body></html>",
  "<p>h\u00e9llo \u{1F600}</p>",
  "</head><body>",
  "<!-- c -->",
  "",
];

describe("createInsertionFinder", () => {
  it("answers every page as findInsertionIndex does, whatever pages came before (cache hits and misses)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(heads.length - 1), fc.nat(bodies.length - 1), fc.string({ maxLength: 6 })), {
          minLength: 1,
          maxLength: 40,
        }),
        fc.constantFrom("head-end", "head-start", "body-end" as const),
        fc.integer({ min: 1, max: 4 }),
        (pages, position, size) => {
          const find = createInsertionFinder(position, { size });
          for (const [h, b, noise] of pages) {
            const html = `${heads[h]}${noise}${bodies[b]}`;
            expect(find(html)).toBe(findInsertionIndex(html, position));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("pages sharing a head get the same index, and a page with a new head is scanned", () => {
    const find = createInsertionFinder("head-end");
    const head = "<html><head><title>t</title></head>";
    expect(find(`${head}<body>one</body>`)).toBe(head.indexOf("</head>"));
    // A different body after the same head: same index, and a page with the marker in a new head is still seen.
    expect(find(`${head}<body>two, longer</body>`)).toBe(head.indexOf("</head>"));
    expect(find('<html><head><script data-tracklet-snippet=""></script></head>')).toBe(-1);
  });
});
