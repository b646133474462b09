import fc from "fast-check";

/**
 * A generated HTML document and where a `head-end` injection must go, by construction.
 *
 * The rule under test (packages/injector's insertion scanner): the snippet goes before the first real `</head>`
 * end tag; `</head>` (or `<body>`) spelled inside a comment, a script, a style, a title, a noscript, an attribute
 * value or a `<![CDATA[…]]>` section is text, not a tag, and never matches. Without `</head>`, it goes right
 * after `<body…>`. A fragment (no `<html>`, `<head>` or `<body>`) gets it at its very start, after a byte order
 * mark and a doctype, unless it opens with head content (`<meta charset>`, a script), which implies a head: then
 * it goes where the body starts. A document with nothing but whitespace, comments or a doctype is left alone.
 */
export interface GeneratedDocument {
  shape: "full" | "body-only" | "unclosed-head" | "fragment" | "empty";
  html: string;
  /** UTF-8 byte offset where the snippet must go, or null when nothing may be injected. */
  insertAt: number | null;
}

const caseOf = (word: string) =>
  fc
    .array(fc.boolean(), { minLength: word.length, maxLength: word.length })
    .map((upper) => [...word].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join(""));

/** Text with markup-looking decoys and multi-byte characters (chunk cuts land inside them). */
const text = fc.constantFrom(
  "hello",
  "caf\u00e9 \u65e5\u672c\u8a9e \u{1F642}",
  "a &lt;/head&gt; b",
  "x < y > z",
  "  \n\t",
  "\u2028\u2029",
  "",
);

const decoy = fc.constantFrom("</head>", "</HEAD >", "<body>", "<BODY class=x>", "</head\n>", "<head>", "");

/** Tokens that may appear in `<head>` without starting the body. */
const headToken: fc.Arbitrary<string> = fc.oneof(
  decoy.map((d) => `<!--${d}-->`),
  decoy.map((d) => `<!-- ${d} -- ${d} -->`),
  fc.constant("<!---->"),
  fc.tuple(caseOf("script"), decoy).map(([tag, d]) => `<${tag}>var s = "${d}"; // ${d}\n</${tag}>`),
  decoy.map((d) => `<script type="text/plain">if (a </head) { b = '<!--' + '${d}' }</script>`),
  decoy.map((d) => `<style>/* ${d} */ p { color: red }</style>`),
  decoy.map((d) => `<title>${d} &amp; more</title>`),
  decoy.map((d) => `<meta name="description" content="${d}">`),
  decoy.map((d) => `<meta name='x' content='${d}' data-a="'">`),
  fc.constant('<link rel=stylesheet href=/a.css?x=1&y=2 data-x="a>b">'),
  fc.constant("<meta charset=utf-8>"),
  fc.constant("<noscript><img src=/pixel.gif alt='</head>'></noscript>"),
  fc.constant("<![CDATA[ not a tag ]]>"),
  fc.constantFrom(" ", "\n", "\r\n  "),
);

/** Tokens that can only live in `<body>` (they start it implicitly). */
const bodyToken: fc.Arbitrary<string> = fc.oneof(
  text.filter((t) => t.trim() !== "").map((t) => `<p>${t}</p>`),
  fc.tuple(caseOf("div"), text).map(([tag, t]) => `<${tag} class="a" title="</head>">${t}</${tag}>`),
  fc.constant('<script>document.title = "</body></head>";</script>'),
  fc.constant("<img alt='<body>' src=/x.png>"),
  text.filter((t) => t.trim() !== "" && !t.startsWith("\u2028")),
);

const prefix = fc
  .tuple(fc.boolean(), fc.option(fc.constantFrom("<!DOCTYPE html>", "<!doctype HTML>\n", "<!DocType html>")))
  .map(([bom, doctype]) => `${bom ? "\ufeff" : ""}${doctype ?? ""}`);

const bytes = (s: string) => Buffer.byteLength(s, "utf8");

const full: fc.Arbitrary<GeneratedDocument> = fc
  .record({
    prefix,
    html: fc.option(caseOf("html").map((t) => `<${t} lang="en">`)),
    head: fc
      .tuple(caseOf("head"), fc.constantFrom(">", " data-x='</head>'>"))
      .map(([t, rest]) => `<${t}${rest}`),
    headTokens: fc.array(headToken, { maxLength: 8 }),
    close: fc.tuple(caseOf("head"), fc.constantFrom(">", " >", "\n>")).map(([t, rest]) => `</${t}${rest}`),
    body: fc.option(caseOf("body").map((t) => `<${t}>`)),
    bodyTokens: fc.array(bodyToken, { maxLength: 6 }),
    end: fc.constantFrom("", "</body></html>", "</BODY>\n</HTML>\n"),
  })
  .map((d) => {
    const before = `${d.prefix}${d.html ?? ""}${d.head}${d.headTokens.join("")}`;
    const html = `${before}${d.close}${d.body ?? ""}${d.bodyTokens.join("")}${d.end}`;
    return { shape: "full", html, insertAt: bytes(before) };
  });

const bodyOnly: fc.Arbitrary<GeneratedDocument> = fc
  .record({
    prefix,
    html: fc.option(caseOf("html").map((t) => `<${t}>`)),
    body: fc
      .tuple(caseOf("body"), fc.constantFrom(">", ' class="a">', " data-x='</head>'>", "\n>"))
      .map(([t, rest]) => `<${t}${rest}`),
    bodyTokens: fc.array(bodyToken, { maxLength: 6 }),
  })
  .map((d) => {
    const before = `${d.prefix}${d.html ?? ""}${d.body}`;
    return { shape: "body-only", html: `${before}${d.bodyTokens.join("")}`, insertAt: bytes(before) };
  });

const unclosedHead: fc.Arbitrary<GeneratedDocument> = fc
  .record({
    prefix,
    head: caseOf("head").map((t) => `<html><${t}>`),
    headTokens: fc.array(headToken, { maxLength: 6 }),
    body: caseOf("body").map((t) => `<${t}>`),
    bodyTokens: fc.array(bodyToken, { maxLength: 4 }),
  })
  .map((d) => {
    const before = `${d.prefix}${d.head}${d.headTokens.join("")}${d.body}`;
    return { shape: "unclosed-head", html: `${before}${d.bodyTokens.join("")}`, insertAt: bytes(before) };
  });

/** A head-content start tag: before any body content it implies `<html><head>`, as a browser parses it. */
const HEAD_TAG = /^<(script|style|title|meta|link|noscript)[\s>]/i;
/** Comments, CDATA sections and whitespace: neither head nor body content. */
const NEUTRAL = /^(<!--|<!\[CDATA\[|[ \t\r\n\f]*$)/;

const fragment: fc.Arbitrary<GeneratedDocument> = fc
  .record({
    prefix,
    lead: fc.array(headToken, { maxLength: 3 }),
    bodyTokens: fc.array(bodyToken, { minLength: 1, maxLength: 6 }),
  })
  .map((d) => {
    const tokens = [...d.lead, ...d.bodyTokens];
    const html = `${d.prefix}${tokens.join("")}`;
    // Head content first (`<meta charset>`, a script): the snippet goes where the body starts, before the first
    // body token, or at the end. Otherwise right behind the doctype's ">" (whitespace after it is body text).
    let offset = d.prefix;
    let headContent = false;
    for (const token of tokens) {
      if (HEAD_TAG.test(token)) headContent = true;
      else if (!NEUTRAL.test(token)) {
        return {
          shape: "fragment" as const,
          html,
          insertAt: headContent ? bytes(offset) : bytes(d.prefix.replace(/[ \t\r\n\f]+$/, "")),
        };
      }
      offset += token;
    }
    return { shape: "fragment" as const, html, insertAt: bytes(html) };
  });

const empty: fc.Arbitrary<GeneratedDocument> = fc
  .record({ prefix, rest: fc.constantFrom("", " \n", "<!-- only a comment -->", "<!-- </head> -->\n") })
  .map((d) => ({ shape: "empty", html: `${d.prefix}${d.rest}`, insertAt: null }));

export const htmlDocument: fc.Arbitrary<GeneratedDocument> = fc.oneof(
  { arbitrary: full, weight: 4 },
  { arbitrary: bodyOnly, weight: 2 },
  { arbitrary: unclosedHead, weight: 1 },
  { arbitrary: fragment, weight: 2 },
  { arbitrary: empty, weight: 1 },
);

/** Cut points (sorted, distinct, inside the body) that split a body of `length` bytes into chunks. */
export function chunkCuts(length: number): fc.Arbitrary<number[]> {
  if (length < 2) return fc.constant([]);
  return fc
    .uniqueArray(fc.integer({ min: 1, max: length - 1 }), { maxLength: Math.min(12, length - 1) })
    .map((cuts) => cuts.sort((a, b) => a - b));
}

export function splitAt(body: Buffer, cuts: number[]): Buffer[] {
  const chunks: Buffer[] = [];
  let from = 0;
  for (const cut of cuts) {
    chunks.push(body.subarray(from, cut));
    from = cut;
  }
  chunks.push(body.subarray(from));
  return chunks.filter((c) => c.length > 0);
}
