import { createHash } from "node:crypto";
import {
  TRACKLET_DEFAULT_ENDPOINT as TRACKLET_ENDPOINT,
  TRACKLET_DEFAULT_SCRIPT_URL as TRACKLET_SCRIPT_URL,
} from "../config/parse-config.js";
import {
  type AnalyticsSettings,
  type AnalyticsTool,
  FIRST_PARTY_TOOLS,
  SNIPPET_MARKER,
  type Snippet,
  type SnippetAsset,
  type SnippetHtmlOptions,
} from "../types.js";
import { htmlAttribute, urlComponent } from "./escape.js";
import { formatSdkAttributes, type SdkScript, sdkScript } from "./sdk-script.js";
import { defaultTemplatesDir, loadTemplate } from "./templates.js";

/** Where the middleware serves `bootstrapJs` in external mode unless told otherwise. */
export const DEFAULT_BOOTSTRAP_PATH = "/tracklet/bootstrap.js";
const USERALE_SCRIPT_URL = "https://cdn.jsdelivr.net/npm/flagon-userale@2.1.1/build/userale-2.1.1.min.js";
const GTAG_SCRIPT_URL = "https://www.googletagmanager.com/gtag/js";
/** CSP nonces are base64 (or hex) tokens; anything else is refused rather than escaped into the page. */
const NONCE = /^[A-Za-z0-9+/_-]{1,256}={0,2}$/;

export interface CreateSnippetOptions {
  /** Directory holding `<tool>.hbs`; default: the package's `templates/`. */
  templatesDir?: string;
}

/** A compiled snippet plus what a strict CSP needs to allow its inline scripts. */
export interface CompiledSnippet extends Snippet {
  /** CSP source expressions (`'sha256-…'`) for the inline scripts, for hash-based `script-src` policies. */
  readonly cspHashes: readonly string[];
}

type Part =
  | { kind: "text"; html: string }
  | { kind: "script"; attributes: string; body: string; inline: boolean };

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** Refuse `javascript:` and other non-web schemes for script sources; relative URLs are left alone. */
function checkScriptUrl(url: string, option: string): string {
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url)?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme !== "http" && scheme !== "https") {
    throw new TypeError(`${option} must be an http(s) URL or a path, not a "${scheme}:" URL`);
  }
  return url;
}

function required(value: string | undefined, option: string, tool: AnalyticsTool): string {
  if (value === undefined || value === "")
    throw new TypeError(`${option} is required for analytics_tool "${tool}"`);
  return value;
}

/** Template variables for one tool; URL-building happens here, escaping in the templates. */
function templateContext(
  settings: AnalyticsSettings,
  tool: AnalyticsTool,
  sdk: SdkScript | undefined,
): Record<string, unknown> {
  const override = settings.scriptUrl
    ? checkScriptUrl(settings.scriptUrl, "analytics_script_url")
    : undefined;
  switch (tool) {
    case "google_analytics": {
      const base = override ?? GTAG_SCRIPT_URL;
      return {
        id: required(settings.id, "analytics_id", tool),
        loaderBase: base,
        loaderHasQuery: base.includes("?"),
      };
    }
    case "segment": {
      const id = required(settings.id, "analytics_id", tool);
      const loaderUrl =
        override ?? `https://cdn.segment.com/analytics.js/v1/${urlComponent(id)}/analytics.min.js`;
      return { id, loaderUrl };
    }
    case "metarouter": {
      const id = required(settings.id, "analytics_id", tool);
      return { id, loaderUrl: override ?? `https://cdn.metarouter.io/a/v1/${urlComponent(id)}.js` };
    }
    case "matomo":
      return {
        id: required(settings.id, "analytics_id", tool),
        url: checkScriptUrl(required(settings.url, "analytics_url", tool), "analytics_url"),
        scriptUrl: override ?? null,
      };
    case "apache_flagon_useralejs": {
      const u = settings.useralejs;
      const text = (value: string | number | boolean | undefined) =>
        value === undefined ? null : String(value);
      return {
        loaderUrl: override ?? USERALE_SCRIPT_URL,
        auth: text(u.auth),
        autostart: text(u.autostart),
        interval: text(u.interval),
        logDetails: text(u.logDetails),
        resolution: text(u.resolution),
        threshold: text(u.threshold),
        tool: text(u.tool),
        user: text(u.user),
        url: text(u.url),
        version: text(u.version),
      };
    }
    case "tracklet": {
      const a = sdk?.attributes ?? {};
      return {
        scriptUrl: sdk?.src ?? override ?? TRACKLET_SCRIPT_URL,
        url: settings.url ?? TRACKLET_ENDPOINT,
        site: settings.site ?? null,
        outbound: a.outbound === true,
        downloads: a.downloads === true,
        downloadList: typeof a.downloads === "string" ? a.downloads : null,
        noTagged: a.tagged === false,
        noEngagement: a.engagement === false,
        hash: a.hash === true,
        include: a.include ?? null,
        exclude: a.exclude ?? null,
        mask: a.mask ?? null,
      };
    }
  }
}

/**
 * Split rendered HTML into text and `<script>` elements. Escaping guarantees values cannot contain `<`, so
 * every `<script` here comes from the template; anything unexpected is a template bug and is refused.
 */
function splitScripts(html: string, tool: string): Part[] {
  const parts: Part[] = [];
  const pattern = /<script\b([^>]*)>([\s\S]*?)<\/script>/gi;
  let last = 0;
  for (const match of html.matchAll(pattern)) {
    const attributes = match[1] ?? "";
    const body = match[2] ?? "";
    if (/<!--|<\/?script/i.test(body))
      throw new Error(`${tool} snippet: a script body contains "<!--" or "<script"`);
    parts.push({ kind: "text", html: html.slice(last, match.index) });
    const hasSrc = /\ssrc\s*=/i.test(attributes);
    if (hasSrc && body.trim() !== "") throw new Error(`${tool} snippet: a script has both src and a body`);
    parts.push({ kind: "script", attributes: attributes.trimEnd(), body, inline: !hasSrc });
    last = match.index + match[0].length;
  }
  parts.push({ kind: "text", html: html.slice(last) });
  for (const part of parts) {
    if (part.kind === "text" && /<\/?script/i.test(part.html)) {
      throw new Error(`${tool} snippet: unbalanced <script> tags in the template`);
    }
  }
  return parts.filter((p) => p.kind === "script" || p.html.trim() !== "");
}

/** Which vendor global the browser SDK forwards SPA pageviews to, per tool (`data-bridge`). */
const SPA_BRIDGES: Partial<Record<AnalyticsTool, string>> = {
  google_analytics: "gtag",
  segment: "analytics",
  metarouter: "analytics",
  apache_flagon_useralejs: "userale",
};

/**
 * tracklet's browser SDK next to the vendor snippet: `analytics_spa_pageviews` runs it bridge-only
 * (`data-endpoint="none"`), forwarding each SPA route change to the vendor's global.
 */
function spaBridge(
  settings: AnalyticsSettings,
  tool: AnalyticsTool,
): { part: Part; assets: SnippetAsset[] } | null {
  const bridge = SPA_BRIDGES[tool];
  if (!settings.spaPageviews || bridge === undefined) return null;
  const sdk = sdkScript(settings.sdk ?? {}, TRACKLET_SCRIPT_URL, true);
  const attributes = ` defer src="${htmlAttribute(sdk.src)}" data-endpoint="none" data-bridge="${bridge}"${formatSdkAttributes(sdk.attributes)}`;
  return { part: { kind: "script", attributes, body: "", inline: false }, assets: sdk.assets };
}

function renderParts(tool: AnalyticsTool, context: Record<string, unknown>, templatesDir: string): Part[] {
  const rendered = loadTemplate(tool, templatesDir)(context).trim();
  if (!isAscii(rendered)) throw new Error(`${tool} snippet: rendered HTML is not ASCII`);
  return splitScripts(rendered, tool);
}

/**
 * `analytics_mode = first_party` or `both`: tracklet's SDK from the app's own origin, posting to the collector.
 * Next to the vendor's snippet (`both`) it also carries the SPA bridge when `analytics_spa_pageviews` asks.
 */
function firstPartyParts(
  settings: AnalyticsSettings,
  tool: AnalyticsTool,
  nextToVendor: boolean,
  templatesDir: string,
): { parts: Part[]; assets: SnippetAsset[] } {
  const bridge = nextToVendor && settings.spaPageviews ? SPA_BRIDGES[tool] : undefined;
  const sdk = sdkScript(settings.sdk ?? {}, TRACKLET_SCRIPT_URL, bridge !== undefined, true);
  const own: AnalyticsSettings = { tool: "tracklet", spaPageviews: false, useralejs: {}, sources: {} };
  if (settings.site !== undefined) own.site = settings.site;
  const parts = renderParts("tracklet", templateContext(own, "tracklet", sdk), templatesDir);
  if (bridge !== undefined) {
    for (const part of parts) {
      if (part.kind === "script") part.attributes += ` data-bridge="${htmlAttribute(bridge)}"`;
    }
  }
  return { parts, assets: sdk.assets };
}

function openTag(attributes: string, nonce: string | undefined): string {
  return `<script ${SNIPPET_MARKER}${attributes}${nonce === undefined ? "" : ` nonce="${htmlAttribute(nonce)}"`}>`;
}

/**
 * Compile the snippet for `settings.tool` from `templates/<tool>.hbs`. Rendering happens once; `html()` only
 * adds the nonce and swaps inline code for the external bootstrap script. Throws when the tool is off.
 */
export function createSnippet(
  settings: AnalyticsSettings,
  options: CreateSnippetOptions = {},
): CompiledSnippet {
  const tool = settings.tool;
  if (tool === null) throw new TypeError("analytics_tool is not set: there is no snippet to create");
  const templatesDir = options.templatesDir ?? defaultTemplatesDir();
  const mode = tool === "tracklet" ? "client" : (settings.mode ?? "client");
  if (mode === "first_party" && !(FIRST_PARTY_TOOLS as readonly string[]).includes(tool)) {
    throw new TypeError(
      `analytics_mode first_party works with ${FIRST_PARTY_TOOLS.join(", ")}, not analytics_tool "${tool}"`,
    );
  }
  const parts: Part[] = [];
  const assets: SnippetAsset[] = [];
  if (mode !== "first_party") {
    const sdk =
      tool === "tracklet"
        ? sdkScript(
            settings.sdk ?? {},
            settings.scriptUrl
              ? checkScriptUrl(settings.scriptUrl, "analytics_script_url")
              : TRACKLET_SCRIPT_URL,
            false,
          )
        : undefined;
    parts.push(...renderParts(tool, templateContext(settings, tool, sdk), templatesDir));
    assets.push(...(sdk?.assets ?? []));
  }
  if (mode === "client") {
    const bridge = spaBridge(settings, tool);
    if (bridge) {
      parts.push(bridge.part);
      assets.push(...bridge.assets);
    }
  } else {
    const counting = firstPartyParts(settings, tool, mode === "both", templatesDir);
    parts.push(...counting.parts);
    assets.push(...counting.assets);
  }
  const inlineBodies = parts.flatMap((p) => (p.kind === "script" && p.inline ? [p.body] : []));
  const bootstrapJs = inlineBodies.length === 0 ? "" : `${inlineBodies.map((b) => b.trim()).join("\n;\n")}\n`;
  const cspHashes = inlineBodies.map(
    (body) => `'sha256-${createHash("sha256").update(body).digest("base64")}'`,
  );

  const html = (htmlOptions: SnippetHtmlOptions = {}): string => {
    const { nonce, mode = "inline", bootstrapPath = DEFAULT_BOOTSTRAP_PATH } = htmlOptions;
    if (nonce !== undefined && !NONCE.test(nonce)) {
      throw new TypeError("nonce must be a base64 or hex token (letters, digits, + / _ - and trailing =)");
    }
    if (mode !== "inline" && mode !== "external") throw new TypeError(`mode must be "inline" or "external"`);
    let bootstrapEmitted = false;
    const out = parts.map((part) => {
      if (part.kind === "text") return part.html.trim();
      if (mode === "external" && part.inline) {
        if (bootstrapEmitted) return "";
        bootstrapEmitted = true;
        return `${openTag(` src="${htmlAttribute(bootstrapPath)}"`, nonce)}</script>`;
      }
      return `${openTag(part.attributes, nonce)}${part.body}</script>`;
    });
    const result = out.filter((s) => s !== "").join("\n");
    if (!isAscii(result)) throw new Error(`${tool} snippet: rendered HTML is not ASCII`);
    return result;
  };

  return { tool, html, bootstrapJs, cspHashes, assets };
}
