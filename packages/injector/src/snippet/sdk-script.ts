import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { BrowserSdkSettings, SnippetAsset } from "../types.js";
import { type BrowserSdkBuild, browserSdkFile } from "./browser-sdk-file.js";
import { htmlAttribute } from "./escape.js";

/**
 * The SDK's `data-*` options a config asks for, named as the attributes are (`outbound` ↔ `data-outbound`):
 * `true` is written as a bare attribute, `false` as `="false"`, a string as the value. Only what differs from
 * the SDK's defaults is present.
 */
export interface SdkAttributes {
  outbound?: true;
  /** `true` for the SDK's extensions, else the extensions (comma-separated). */
  downloads?: true | string;
  tagged?: false;
  engagement?: false;
  hash?: true;
  include?: string;
  exclude?: string;
  mask?: string;
}

/** What the snippet needs to load the SDK: the build, the `src`, the attributes and the files to serve. */
export interface SdkScript {
  build: BrowserSdkBuild;
  src: string;
  attributes: SdkAttributes;
  assets: SnippetAsset[];
}

/**
 * The smallest build that does what the config asks. Without pageview filters (include/exclude) and outside
 * the SPA bridge: the core build when nothing but pageviews is tracked (`analytics_track = none`), the
 * standard build when no outbound or download click is. The full build otherwise.
 */
export function sdkBuildFor(sdk: BrowserSdkSettings, bridge: boolean): BrowserSdkBuild {
  const filtered = (sdk.include?.length ?? 0) > 0 || (sdk.exclude?.length ?? 0) > 0;
  if (bridge || filtered) return "full";
  if (sdk.track?.length === 0) return "core";
  return sdk.track?.includes("outbound") || sdk.track?.includes("downloads") ? "full" : "standard";
}

/** The attributes for `sdk` on `build` (the core build reads only `hash` and `mask` of these). */
export function sdkAttributes(
  sdk: BrowserSdkSettings,
  build: BrowserSdkBuild,
  bridge: boolean,
): SdkAttributes {
  const attributes: SdkAttributes = {};
  // The bridge sends nothing, so what it would track is left at the defaults.
  const track = bridge ? undefined : sdk.track;
  if (build !== "core" && track !== undefined) {
    if (track.includes("outbound")) attributes.outbound = true;
    if (track.includes("downloads"))
      attributes.downloads = sdk.downloadExtensions ? sdk.downloadExtensions.join(",") : true;
    if (!track.includes("tagged")) attributes.tagged = false;
    if (!track.includes("engagement")) attributes.engagement = false;
  }
  if (sdk.hashRouting) attributes.hash = true;
  if (build !== "core" && sdk.include?.length) attributes.include = sdk.include.join(",");
  if (build !== "core" && sdk.exclude?.length) attributes.exclude = sdk.exclude.join(",");
  if (sdk.mask?.length) attributes.mask = sdk.mask.join(",");
  return attributes;
}

/** The attributes as HTML (each with a leading space), values escaped. */
export function formatSdkAttributes(attributes: SdkAttributes): string {
  let html = "";
  for (const [name, value] of Object.entries(attributes)) {
    if (value === true) html += ` data-${name}`;
    else html += ` data-${name}="${htmlAttribute(String(value))}"`;
  }
  return html;
}

/** `/tracklet/tracklet.js` → `/tracklet/tracklet.<hash>.js`, the hash naming the content. */
export function contentHashedPath(path: string, body: Buffer): string {
  const hash = createHash("sha256").update(body).digest("hex").slice(0, 10);
  const slash = path.lastIndexOf("/");
  const dot = path.lastIndexOf(".");
  return dot > slash + 1 ? `${path.slice(0, dot)}.${hash}${path.slice(dot)}` : `${path}.${hash}.js`;
}

/** A root-relative path (not `//host/…`): one the middleware can serve on the app's own origin. */
const isRootRelative = (url: string) => url.startsWith("/") && !url.startsWith("//");

/**
 * The SDK script for a config. A root-relative `scriptUrl` is served by the middleware: the snippet loads the
 * content-hashed path (cached for a year), and the plain path keeps answering for pages that name it. Any
 * other URL is loaded as it is, and nothing is served. `sends`: the script posts events (default: unless it is
 * only a bridge), so what it tracks is written out.
 */
export function sdkScript(
  sdk: BrowserSdkSettings,
  scriptUrl: string,
  bridge: boolean,
  sends: boolean = !bridge,
): SdkScript {
  const build = sdkBuildFor(sdk, bridge);
  // A script from elsewhere may be either build: it gets the attributes the full build reads.
  if (!isRootRelative(scriptUrl))
    return { build, src: scriptUrl, attributes: sdkAttributes(sdk, "full", !sends), assets: [] };
  const attributes = sdkAttributes(sdk, build, !sends);
  const file = browserSdkFile(build);
  const query = scriptUrl.indexOf("?");
  const path = query < 0 ? scriptUrl : scriptUrl.slice(0, query);
  const hashed = contentHashedPath(path, readFileSync(file));
  return {
    build,
    src: query < 0 ? hashed : hashed + scriptUrl.slice(query),
    attributes,
    assets: [
      { path: hashed, file, immutable: true },
      { path, file },
    ],
  };
}
