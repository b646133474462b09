import { describe, expect, it } from "vitest";
import { createHtmlInjector } from "./html-injector.js";
import { injectHtml, injectHtmlBuffer } from "./inject-html.js";

const S = '<script data-tracklet-snippet="x"></script>';

function streamed(parts: (string | Buffer)[], position?: "head-end" | "head-start" | "body-end"): Buffer {
  const injector = createHtmlInjector(S, position ? { position } : {});
  const out: Buffer[] = [];
  for (const p of parts) out.push(...injector.push(typeof p === "string" ? Buffer.from(p) : p));
  out.push(...injector.end());
  return Buffer.concat(out);
}

describe("injectHtml insertion point", () => {
  it("goes before </head>", () => {
    expect(injectHtml("<html><head><title>t</title></head><body>x</body></html>", S)).toBe(
      `<html><head><title>t</title>${S}</head><body>x</body></html>`,
    );
  });

  it("matches </HEAD > case-insensitively with whitespace before >", () => {
    expect(injectHtml("<HTML><HEAD></HEAD \n><BODY>", S)).toBe(`<HTML><HEAD>${S}</HEAD \n><BODY>`);
  });

  it("falls back to right after the <body…> open tag", () => {
    expect(injectHtml('<html><body class="a>b">x</body></html>', S)).toBe(
      `<html><body class="a>b">${S}x</body></html>`,
    );
  });

  it("puts it at the start of a fragment, after a BOM and the doctype", () => {
    expect(injectHtml("\uFEFF<!DOCTYPE html>\n<p>hi</p>", S)).toBe(`\uFEFF<!DOCTYPE html>${S}\n<p>hi</p>`);
    expect(injectHtml("<p>hi</p>", S)).toBe(`${S}<p>hi</p>`);
  });

  it("a page opening with head content (no <html>/<head>) keeps <meta charset> first: the snippet goes where its body starts", () => {
    expect(injectHtml('<meta charset="utf-8"><title>t</title><p>hi</p>', S)).toBe(
      `<meta charset="utf-8"><title>t</title>${S}<p>hi</p>`,
    );
    expect(injectHtml("<!DOCTYPE html><meta charset=utf-8><link rel=stylesheet href=a.css>\ntext", S)).toBe(
      `<!DOCTYPE html><meta charset=utf-8><link rel=stylesheet href=a.css>\n${S}text`,
    );
    // Head content only: at the end, after it.
    expect(injectHtml("<meta charset=utf-8><style>p{}</style>", S)).toBe(
      `<meta charset=utf-8><style>p{}</style>${S}`,
    );
    // Streamed, split inside the meta tag: the same.
    expect(streamed(["<meta char", 'set="utf-8"><p>hi</p>']).toString()).toBe(
      `<meta charset="utf-8">${S}<p>hi</p>`,
    );
  });

  it("head-start goes right after <head…>", () => {
    expect(
      injectHtml('<html><head lang="en"><meta charset="utf-8"></head>', S, { position: "head-start" }),
    ).toBe(`<html><head lang="en">${S}<meta charset="utf-8"></head>`);
  });

  it("body-end goes before </body>, else at the end", () => {
    expect(injectHtml("<body><p>x</p></body></html>", S, { position: "body-end" })).toBe(
      `<body><p>x</p>${S}</body></html>`,
    );
    expect(injectHtml("<p>x</p>", S, { position: "body-end" })).toBe(`<p>x</p>${S}`);
  });

  it("a structured document without head or body gets it where the body implicitly starts", () => {
    expect(injectHtml("<!doctype html><html><title>t</title><p>x", S)).toBe(
      `<!doctype html><html><title>t</title>${S}<p>x`,
    );
  });

  it.each([
    ["a comment", "<html><head><!-- </head> --></head>", `<html><head><!-- </head> -->${S}</head>`],
    [
      "a script body",
      '<html><head><script>"</head>"</script></head>',
      `<html><head><script>"</head>"</script>${S}</head>`,
    ],
    [
      "a style body",
      "<html><head><style>/*</head>*/</style></head>",
      `<html><head><style>/*</head>*/</style>${S}</head>`,
    ],
    [
      "an attribute value",
      '<html><head><meta content="</head>"></head>',
      `<html><head><meta content="</head>">${S}</head>`,
    ],
    [
      "a single-quoted value",
      "<html><head><meta content='</head>'></head>",
      `<html><head><meta content='</head>'>${S}</head>`,
    ],
    ["CDATA", "<html><head><![CDATA[</head>]]></head>", `<html><head><![CDATA[</head>]]>${S}</head>`],
    ["a title", "<html><head><title></head></title></head>", `<html><head><title></head></title>${S}</head>`],
  ])("ignores </head> inside %s", (_name, html, expected) => {
    expect(injectHtml(html, S)).toBe(expected);
  });

  it("leaves a page that already carries the marker unchanged", () => {
    const page = `<html><head>${S}</head><body></body></html>`;
    expect(injectHtmlBuffer(Buffer.from(page), S).outcome).toBe("already-present");
    expect(injectHtml(page, S)).toBe(page);
  });

  it("reports no insertion point for an empty or comment-only document", () => {
    expect(injectHtmlBuffer(Buffer.from(""), S).outcome).toBe("no-insertion-point");
    expect(injectHtmlBuffer(Buffer.from("  <!-- x -->  "), S).outcome).toBe("no-insertion-point");
  });

  it("returns a Buffer for a Buffer", () => {
    expect(Buffer.isBuffer(injectHtml(Buffer.from("<head></head>"), S))).toBe(true);
  });
});

describe("createHtmlInjector streaming", () => {
  it("</head> split across three chunks", () => {
    const injector = createHtmlInjector(S);
    const out = [
      ...injector.push(Buffer.from("<html><head><title>t</title></h")),
      ...injector.push(Buffer.from("ea")),
      ...injector.push(Buffer.from("d><body>rest")),
    ];
    expect(Buffer.concat(out).toString()).toBe(`<html><head><title>t</title>${S}</head><body>rest`);
    expect(injector.outcome).toBe("injected");
  });

  it("holds back only the partial tag", () => {
    const injector = createHtmlInjector(S);
    const first = Buffer.concat(injector.push(Buffer.from("<html><head><title>t</title></he")));
    expect(first.toString()).toBe("<html><head><title>t</title>");
  });

  it("multi-byte UTF-8 character split across chunks", () => {
    const page = Buffer.from("<html><head><title>h\u00e9llo \u{1F600}</title></head><body>\u00e9</body>");
    const parts = [];
    for (let i = 0; i < page.length; i++) parts.push(page.subarray(i, i + 1));
    expect(streamed(parts).toString()).toBe(
      `<html><head><title>h\u00e9llo \u{1F600}</title>${S}</head><body>\u00e9</body>`,
    );
  });

  it("passes chunks through uncopied once injected", () => {
    const injector = createHtmlInjector(S);
    injector.push(Buffer.from("<html><head></head>"));
    const chunk = Buffer.from("<body>big</body>");
    const out = injector.push(chunk);
    expect(out).toHaveLength(1);
    expect(out[0]).toBe(chunk);
  });

  it("does not inject twice when the marker is split across chunks", () => {
    const page = `<html><head><script data-tracklet-snippet></script></head>`;
    const parts = [page.slice(0, 25), page.slice(25, 31), page.slice(31)];
    expect(streamed(parts).toString()).toBe(page);
  });

  it("holds a fragment's prologue no longer than the window", () => {
    const injector = createHtmlInjector(S, { prologueWindow: 16 });
    const out = injector.push(Buffer.from("<!-- a long comment that goes on --><p>x</p>"));
    expect(Buffer.concat(out).toString()).toBe(`${S}<!-- a long comment that goes on --><p>x</p>`);
  });
});
