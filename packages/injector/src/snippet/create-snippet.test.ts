import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import vm from "node:vm";
import Handlebars from "handlebars";
import { describe, expect, it } from "vitest";
import {
  type AnalyticsSettings,
  type AnalyticsTool,
  SNIPPET_MARKER,
  type UserAleSettings,
} from "../types.js";
import { browserSdkFile } from "./browser-sdk-file.js";
import { createSnippet } from "./create-snippet.js";
import { urlComponent } from "./escape.js";
import { registerTrackletHelper } from "./helper.js";
import { contentHashedPath } from "./sdk-script.js";
import { checkTemplate, defaultTemplatesDir } from "./templates.js";

/** Where the snippet loads the SDK's standard build (the default config's) from, for a root-relative script URL. */
const hashedSdkPath = (path: string) => contentHashedPath(path, readFileSync(browserSdkFile("standard")));

const BASE: Omit<AnalyticsSettings, "tool"> = { spaPageviews: false, useralejs: {}, sources: {} };

const BENIGN: Record<AnalyticsTool, AnalyticsSettings> = {
  google_analytics: { ...BASE, tool: "google_analytics", id: "G-ABC123XYZ" },
  segment: { ...BASE, tool: "segment", id: "wk_segment123" },
  metarouter: { ...BASE, tool: "metarouter", id: "wk_metarouter" },
  matomo: { ...BASE, tool: "matomo", id: "7", url: "https://stats.example.org/" },
  apache_flagon_useralejs: {
    ...BASE,
    tool: "apache_flagon_useralejs",
    useralejs: {
      auth: "Basic abc=",
      autostart: true,
      interval: 5000,
      logDetails: false,
      resolution: 500,
      threshold: 5,
      tool: "Apache Airflow GUI",
      user: "analyst",
      url: "https://es.example:9200",
      version: "2.1.0",
    },
  },
  tracklet: {
    ...BASE,
    tool: "tracklet",
    url: "/tracklet/collect",
    scriptUrl: "/tracklet/tracklet.js",
    site: "docs",
  },
};

const SCRIPT_COUNT: Record<AnalyticsTool, number> = {
  google_analytics: 2,
  segment: 1,
  metarouter: 1,
  matomo: 1,
  apache_flagon_useralejs: 1,
  tracklet: 1,
};

interface ScriptTag {
  attributes: Map<string, string | true>;
  body: string;
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot);/gi, (_m, ref: string) => {
    const named: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"' };
    if (named[ref]) return named[ref];
    return String.fromCodePoint(
      ref[1] === "x" || ref[1] === "X" ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1)),
    );
  });
}

/** A deliberately simple tokenizer: script elements and their double-quoted attributes. */
function scriptTags(html: string): ScriptTag[] {
  return [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)].map((m) => {
    const attributes = new Map<string, string | true>();
    for (const a of (m[1] ?? "").matchAll(/([\w-]+)(?:="([^"]*)")?/g)) {
      attributes.set(a[1] ?? "", a[2] === undefined ? true : decodeEntities(a[2]));
    }
    return { attributes, body: m[2] ?? "" };
  });
}

function expectWellFormed(html: string, tool: AnalyticsTool): ScriptTag[] {
  expect(
    [...html].every((ch) => ch === "\n" || (ch >= " " && ch <= "~")),
    "printable ASCII only",
  ).toBe(true);
  expect(html.match(/<script/gi)?.length ?? 0).toBe(SCRIPT_COUNT[tool]);
  expect(html.match(/<\/script/gi)?.length ?? 0).toBe(SCRIPT_COUNT[tool]);
  const tags = scriptTags(html);
  expect(tags).toHaveLength(SCRIPT_COUNT[tool]);
  for (const tag of tags) {
    expect(tag.body).not.toContain("<!--");
    expect(tag.attributes.get(SNIPPET_MARKER)).toBe(true);
  }
  return tags;
}

interface Run {
  global: Record<string, unknown>;
  inserted: Record<string, unknown>[];
}

/** Run snippet JavaScript against a minimal fake DOM; nothing it does can reach the test process. */
function runScript(js: string, console?: { error(message: unknown): void }): Run {
  const inserted: Record<string, unknown>[] = [];
  const document = {
    currentScript: { nonce: "n0nce" },
    createElement: () => {
      const element: Record<string, unknown> = { setAttribute() {} };
      inserted.push(element);
      return element;
    },
    getElementsByTagName: () => [{ parentNode: { insertBefore() {} } }],
    head: { appendChild() {} },
    querySelector: () => null,
    title: "t",
    referrer: "",
  };
  const global: Record<string, unknown> = {
    document,
    location: { protocol: "https:", href: "https://app/" },
  };
  global.window = global;
  if (console) global.console = console;
  vm.runInContext(js, vm.createContext(global), { timeout: 1000 });
  return { global, inserted };
}

const HOSTILE = [
  "</script><script>globalThis.pwned=1</script>",
  "</SCRIPT ><img src=x onerror=pwned=1>",
  "<!--<script>",
  `"'><svg onload=pwned=1>`,
  `";pwned=1;//`,
  `';pwned=1;//`,
  `\\";pwned=1;//`,
  "\u2028pwned=1\u2029",
  "{{constructor.constructor 'pwned=1'}}",
  "nul\u0000byte",
  "é😀\uD800",
  `${"A".repeat(100_000)}</script>`,
];

type Setter = (settings: AnalyticsSettings, value: string) => void;
const setTop =
  (key: "id" | "url" | "scriptUrl" | "site"): Setter =>
  (s, v) => {
    s[key] = v;
  };
const setUserAle =
  (key: keyof UserAleSettings): Setter =>
  (s, v) => {
    (s.useralejs as Record<string, unknown>)[key] = v;
  };

const OPTIONS_PER_TOOL: [AnalyticsTool, string, Setter][] = [
  ["google_analytics", "analytics_id", setTop("id")],
  ["google_analytics", "analytics_script_url", setTop("scriptUrl")],
  ["segment", "analytics_id", setTop("id")],
  ["segment", "analytics_script_url", setTop("scriptUrl")],
  ["metarouter", "analytics_id", setTop("id")],
  ["metarouter", "analytics_script_url", setTop("scriptUrl")],
  ["matomo", "analytics_id", setTop("id")],
  ["matomo", "analytics_url", setTop("url")],
  ["matomo", "analytics_script_url", setTop("scriptUrl")],
  ["tracklet", "analytics_url", setTop("url")],
  ["tracklet", "analytics_script_url", setTop("scriptUrl")],
  ["tracklet", "analytics_site", setTop("site")],
  ["apache_flagon_useralejs", "analytics_script_url", setTop("scriptUrl")],
  ...(
    [
      "auth",
      "autostart",
      "interval",
      "logDetails",
      "resolution",
      "threshold",
      "tool",
      "user",
      "url",
      "version",
    ] as const
  ).map((key): [AnalyticsTool, string, Setter] => [
    "apache_flagon_useralejs",
    `useralejs.${key}`,
    setUserAle(key),
  ]),
];

/** What a value looks like after a trip through HTML attribute escaping and back (NUL cannot survive). */
function attributeRoundTrip(value: string): string {
  return value.split(String.fromCharCode(0)).join("\uFFFD");
}

function withValue(tool: AnalyticsTool, set: Setter, value: string): AnalyticsSettings {
  const settings = structuredClone(BENIGN[tool]);
  set(settings, value);
  return settings;
}

describe("snippets per tool", () => {
  it("GA4: async gtag.js loader with the URL-encoded id, then dataLayer/gtag/js/config", () => {
    const snippet = createSnippet(BENIGN.google_analytics);
    const [loader, inline] = expectWellFormed(snippet.html(), "google_analytics");
    expect(loader?.attributes.get("src")).toBe("https://www.googletagmanager.com/gtag/js?id=G-ABC123XYZ");
    expect(loader?.attributes.get("async")).toBe(true);
    const { global } = runScript(inline?.body ?? "");
    const calls = (global.dataLayer as ArrayLike<unknown>[]).map((args) => Array.from(args));
    expect(calls[0]?.[0]).toBe("js");
    expect(calls[1]).toEqual(["config", "G-ABC123XYZ"]);
  });

  it("Segment: the stub queues calls and loads analytics.js for the write key", () => {
    const snippet = createSnippet(BENIGN.segment);
    const [tag] = expectWellFormed(snippet.html(), "segment");
    const { global, inserted } = runScript(tag?.body ?? "");
    const analytics = global.analytics as unknown[] & Record<string, unknown>;
    expect(inserted[0]).toMatchObject({
      src: "https://cdn.segment.com/analytics.js/v1/wk_segment123/analytics.min.js",
      async: true,
      nonce: "n0nce",
    });
    expect(analytics.SNIPPET_VERSION).toBe("4.1.0");
    expect([...analytics]).toEqual([["page"]]);
    (analytics.track as (...a: unknown[]) => unknown)("Signed Up", { plan: "pro" });
    expect([...analytics].at(-1)).toEqual(["track", "Signed Up", { plan: "pro" }]);
    expect((analytics.identify as () => unknown)()).toBe(analytics);
  });

  it("Segment: a second copy on the same page does not queue twice", () => {
    const body = scriptTags(createSnippet(BENIGN.segment).html())[0]?.body ?? "";
    const errors: unknown[] = [];
    const { global } = runScript(body, { error: (m: unknown) => errors.push(m) });
    vm.runInContext(body, global as vm.Context);
    expect(errors).toEqual(["Segment snippet included twice."]);
    expect([...(global.analytics as unknown[])]).toEqual([["page"]]);
  });

  it("Metarouter: same queue, no debug method, loader on cdn.metarouter.io", () => {
    const [tag] = expectWellFormed(createSnippet(BENIGN.metarouter).html(), "metarouter");
    const { global, inserted } = runScript(tag?.body ?? "");
    const analytics = global.analytics as Record<string, unknown>;
    expect(inserted[0]?.src).toBe("https://cdn.metarouter.io/a/v1/wk_metarouter.js");
    expect(analytics.debug).toBeUndefined();
    expect(analytics.SNIPPET_VERSION).toBe("3.1.0");
  });

  it("Matomo: _paq with tracker URL and site id, matomo.js from the instance", () => {
    const [tag] = expectWellFormed(createSnippet(BENIGN.matomo).html(), "matomo");
    const { global, inserted } = runScript(tag?.body ?? "");
    expect(global._paq).toEqual([
      ["trackPageView"],
      ["enableLinkTracking"],
      ["setTrackerUrl", "https://stats.example.org/matomo.php"],
      ["setSiteId", "7"],
    ]);
    expect(inserted[0]).toMatchObject({ src: "https://stats.example.org/matomo.js", async: true });
  });

  it("UserALE: one script tag with only the set data-* options, booleans lower-case", () => {
    const [tag] = expectWellFormed(
      createSnippet(BENIGN.apache_flagon_useralejs).html(),
      "apache_flagon_useralejs",
    );
    expect(Object.fromEntries(tag?.attributes ?? [])).toEqual({
      [SNIPPET_MARKER]: true,
      src: "https://cdn.jsdelivr.net/npm/flagon-userale@2.1.1/build/userale-2.1.1.min.js",
      "data-auth": "Basic abc=",
      "data-autostart": "true",
      "data-interval": "5000",
      "data-log-details": "false",
      "data-resolution": "500",
      "data-threshold": "5",
      "data-tool": "Apache Airflow GUI",
      "data-user": "analyst",
      "data-url": "https://es.example:9200",
      "data-version": "2.1.0",
    });
    const minimal = createSnippet({
      ...BASE,
      tool: "apache_flagon_useralejs",
      useralejs: { url: "https://es/" },
    });
    expect([...(scriptTags(minimal.html())[0]?.attributes.keys() ?? [])]).toEqual([
      SNIPPET_MARKER,
      "src",
      "data-url",
    ]);
  });

  it("tracklet: a deferred first-party script with endpoint and site", () => {
    const [tag] = expectWellFormed(createSnippet(BENIGN.tracklet).html(), "tracklet");
    expect(Object.fromEntries(tag?.attributes ?? [])).toEqual({
      [SNIPPET_MARKER]: true,
      defer: true,
      src: hashedSdkPath("/tracklet/tracklet.js"),
      "data-endpoint": "/tracklet/collect",
      "data-site": "docs",
    });
  });

  it.each<[AnalyticsTool, string]>([
    ["google_analytics", "/gtag/js?id=G-ABC123XYZ"],
    ["segment", "/ajs/analytics.min.js"],
    ["metarouter", "/ajs/analytics.min.js"],
    ["matomo", "/ajs/analytics.min.js"],
    ["apache_flagon_useralejs", "/ajs/analytics.min.js"],
    ["tracklet", hashedSdkPath("/ajs/analytics.min.js")],
  ])("analytics_script_url overrides the %s loader", (tool, expected) => {
    const base = tool === "google_analytics" ? "/gtag/js" : "/ajs/analytics.min.js";
    const snippet = createSnippet({ ...BENIGN[tool], scriptUrl: base });
    const tags = scriptTags(snippet.html());
    const srcs = tags.map((t) => t.attributes.get("src")).filter((s) => typeof s === "string");
    const loaded = tags.flatMap((t) => (t.body ? runScript(t.body).inserted.map((e) => e.src) : []));
    expect([...srcs, ...loaded]).toContain(expected);
  });

  it("refuses script URLs with a non-web scheme and a missing required value", () => {
    expect(() => createSnippet({ ...BENIGN.segment, scriptUrl: "javascript:alert(1)" })).toThrow(TypeError);
    expect(() => createSnippet({ ...BENIGN.matomo, url: "data:text/javascript,1" })).toThrow("analytics_url");
    expect(() => createSnippet({ ...BENIGN.segment, id: undefined })).toThrow("analytics_id is required");
    expect(() => createSnippet({ ...BASE, tool: null })).toThrow("analytics_tool is not set");
  });
});

describe("nonce and external mode", () => {
  it("puts the nonce on every script and refuses one that is not a base64/hex token", () => {
    for (const tool of Object.keys(BENIGN) as AnalyticsTool[]) {
      const tags = expectWellFormed(createSnippet(BENIGN[tool]).html({ nonce: "rAnd0m+/Nonce==" }), tool);
      for (const tag of tags) expect(tag.attributes.get("nonce")).toBe("rAnd0m+/Nonce==");
    }
    const snippet = createSnippet(BENIGN.google_analytics);
    for (const nonce of ['a" onload="x', "a b", "", "nonce<", "é"]) {
      expect(() => snippet.html({ nonce })).toThrow("nonce must be");
    }
  });

  it("replaces inline code by one same-origin bootstrap script and exposes the code as bootstrapJs", () => {
    const snippet = createSnippet(BENIGN.google_analytics);
    const html = snippet.html({ mode: "external", bootstrapPath: "/t/boot.js?v=1&x=2", nonce: "abc" });
    const [loader, bootstrap] = expectWellFormed(html, "google_analytics");
    expect(loader?.attributes.get("src")).toMatch(/^https:\/\/www\.googletagmanager\.com\//);
    expect(bootstrap?.attributes.get("src")).toBe("/t/boot.js?v=1&x=2");
    expect(bootstrap?.attributes.get("nonce")).toBe("abc");
    expect(bootstrap?.body).toBe("");
    expect(html).not.toContain("dataLayer");
    const { global } = runScript(snippet.bootstrapJs);
    expect(Array.from((global.dataLayer as ArrayLike<unknown>[])[1] ?? [])).toEqual([
      "config",
      "G-ABC123XYZ",
    ]);
  });

  it("leaves external-only snippets unchanged and has no bootstrap code for them", () => {
    const snippet = createSnippet(BENIGN.tracklet);
    expect(snippet.html({ mode: "external" })).toBe(snippet.html());
    expect(snippet.bootstrapJs).toBe("");
    expect(snippet.cspHashes).toEqual([]);
  });

  it("lists a CSP sha256 source for every inline script", () => {
    const snippet = createSnippet(BENIGN.matomo);
    const body = scriptTags(snippet.html())[0]?.body ?? "";
    expect(snippet.cspHashes).toEqual([`'sha256-${createHash("sha256").update(body).digest("base64")}'`]);
  });
});

describe("hostile config values cannot close a script, open a tag or run code", () => {
  const cases = OPTIONS_PER_TOOL.flatMap(([tool, option, set]) =>
    HOSTILE.map((value, index) => [tool, option, index, set, value] as const),
  );

  it.each(cases)("%s %s hostile value #%i", (tool, _option, _index, set, value) => {
    const snippet = createSnippet(withValue(tool, set, value));
    for (const html of [
      snippet.html(),
      snippet.html({ nonce: "abc123" }),
      snippet.html({ mode: "external" }),
    ]) {
      const tags = expectWellFormed(html, tool);
      for (const tag of tags) {
        if (tag.body) expect(runScript(tag.body).global.pwned).toBeUndefined();
        for (const [name, attribute] of tag.attributes) {
          if (name.startsWith("data-") && typeof attribute === "string" && attribute.includes("pwned")) {
            // The value is inert attribute text, read back exactly as configured.
            expect(attribute).toBe(attributeRoundTrip(value));
          }
        }
      }
    }
    if (snippet.bootstrapJs) expect(runScript(snippet.bootstrapJs).global.pwned).toBeUndefined();
  });

  it("delivers a hostile id to JavaScript unchanged", () => {
    const value = HOSTILE.slice(0, 9).join("");
    const { global } = runScript(snippet(withValue("matomo", setTop("id"), value)));
    expect((global._paq as unknown[][])[3]).toEqual(["setSiteId", value]);
    const ga = runScript(snippet(withValue("google_analytics", setTop("id"), value)));
    expect(Array.from((ga.global.dataLayer as ArrayLike<unknown>[])[1] ?? [])).toEqual(["config", value]);
    const html = createSnippet(withValue("google_analytics", setTop("id"), value)).html();
    expect(scriptTags(html)[0]?.attributes.get("src")).toBe(
      `https://www.googletagmanager.com/gtag/js?id=${urlComponent(value)}`,
    );
  });

  function snippet(settings: AnalyticsSettings): string {
    return createSnippet(settings).bootstrapJs;
  }
});

describe("templates", () => {
  it("every shipped template uses only the escaping helpers", () => {
    const dir = defaultTemplatesDir();
    for (const tool of Object.keys(BENIGN)) {
      expect(() => checkTemplate(readFileSync(join(dir, `${tool}.hbs`), "utf8"), tool)).not.toThrow();
    }
  });

  it.each([
    ["{{{id}}}", "raw {{{"],
    ["{{id}}", "values must be printed with"],
    ["{{js id extra}}", "values must be printed with"],
    ["{{#each list}}x{{/each}}", "only {{#if}}"],
    ["{{> partial}}", "PartialStatement is not allowed"],
    ["{{js (lookup . 'id')}}", "sub-expressions"],
    ["{{& id}}", "raw {{{"],
  ])("rejects %j", (source, message) => {
    expect(() => checkTemplate(source, "t.hbs")).toThrow(message);
  });

  it("can be loaded from another directory", () => {
    const dir = mkdtempSync(join(tmpdir(), "tracklet-templates-"));
    writeFileSync(
      join(dir, "tracklet.hbs"),
      '<script src="{{attr scriptUrl}}" data-custom="{{attr site}}"></script>',
    );
    const html = createSnippet(BENIGN.tracklet, { templatesDir: dir }).html();
    expect(html).toBe(
      `<script ${SNIPPET_MARKER} src="${hashedSdkPath("/tracklet/tracklet.js")}" data-custom="docs"></script>`,
    );
  });
});

describe("registerTrackletHelper", () => {
  const snippet = createSnippet(BENIGN.tracklet);

  it("renders the snippet with the nonce given in the template or found in the context", () => {
    const hbs = Handlebars.create();
    registerTrackletHelper(hbs, snippet);
    const explicit = hbs.compile("<body>{{{trackletSnippet nonce=myNonce}}}</body>")({ myNonce: "n1" });
    expect(explicit).toBe(`<body>${snippet.html({ nonce: "n1" })}</body>`);
    const fromLocals = hbs.compile("{{trackletSnippet}}")({ cspNonce: "n2" });
    expect(fromLocals).toBe(snippet.html({ nonce: "n2" }));
    const external = hbs.compile('{{trackletSnippet mode="external"}}')({});
    expect(external).toBe(snippet.html({ mode: "external" }));
  });

  it("renders nothing when analytics is off, and reads a snippet supplier at render time", () => {
    const hbs = Handlebars.create();
    let current: typeof snippet | null = null;
    registerTrackletHelper(hbs, () => current, "analytics");
    const template = hbs.compile("[{{analytics}}]");
    expect(template({})).toBe("[]");
    current = snippet;
    expect(template({})).toBe(`[${snippet.html()}]`);
  });
});
