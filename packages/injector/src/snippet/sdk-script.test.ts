import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../config/parse-config.js";
import type { BrowserSdkSettings } from "../types.js";
import { browserSdkFile } from "./browser-sdk-file.js";
import { createSnippet } from "./create-snippet.js";
import {
  contentHashedPath,
  formatSdkAttributes,
  sdkAttributes,
  sdkBuildFor,
  sdkScript,
} from "./sdk-script.js";

describe("sdkBuildFor: the smallest build covering the config", () => {
  it.each<[string, BrowserSdkSettings, boolean, "core" | "standard" | "full"]>([
    ["the SDK's defaults (tagged, engagement)", {}, false, "standard"],
    [
      "tagged clicks only, hash routing and masking",
      { track: ["tagged"], hashRouting: true, mask: ["r"] },
      false,
      "standard",
    ],
    ["downloads", { track: ["downloads", "tagged"] }, false, "full"],
    ["the defaults, filtered by include", { include: ["/app/*"] }, false, "full"],
    ["pageviews only", { track: [] }, false, "core"],
    [
      "pageviews only, hash routing and masking",
      { track: [], hashRouting: true, mask: ["ref"] },
      false,
      "core",
    ],
    ["pageviews only, filtered by include", { track: [], include: ["/app/*"] }, false, "full"],
    ["pageviews only, filtered by exclude", { track: [], exclude: ["/admin"] }, false, "full"],
    ["pageviews only, as the SPA bridge", { track: [] }, true, "full"],
    ["outbound clicks", { track: ["outbound"] }, false, "full"],
  ])("%s: %s", (_label, sdk, bridge, build) => {
    expect(sdkBuildFor(sdk, bridge)).toBe(build);
  });
});

describe("sdkAttributes: only what differs from the SDK's defaults", () => {
  it("writes nothing for the defaults", () => {
    expect(sdkAttributes({}, "full", false)).toEqual({});
  });

  it("turns the tracked list into on and off switches", () => {
    expect(sdkAttributes({ track: ["outbound", "downloads"] }, "full", false)).toEqual({
      outbound: true,
      downloads: true,
      tagged: false,
      engagement: false,
    });
  });

  it("gives downloads the extensions when set", () => {
    const sdk: BrowserSdkSettings = {
      track: ["downloads", "tagged", "engagement"],
      downloadExtensions: ["pdf", "zip"],
    };
    expect(sdkAttributes(sdk, "full", false)).toEqual({ downloads: "pdf,zip" });
  });

  it("writes the tracking switches for the standard build", () => {
    expect(sdkAttributes({ track: ["tagged"] }, "standard", false)).toEqual({ engagement: false });
  });

  it("writes only what the core build reads", () => {
    const sdk: BrowserSdkSettings = { track: [], hashRouting: true, mask: ["ref", "invite"] };
    expect(sdkAttributes(sdk, "core", false)).toEqual({ hash: true, mask: "ref,invite" });
  });

  it("leaves tracking at the defaults for the bridge, which sends nothing", () => {
    expect(sdkAttributes({ track: ["outbound"], include: ["/a"] }, "full", true)).toEqual({ include: "/a" });
  });
});

describe("formatSdkAttributes", () => {
  it("writes bare switches, false and escaped values", () => {
    expect(formatSdkAttributes({ outbound: true, tagged: false, mask: 'a"b' })).toBe(
      ' data-outbound data-tagged="false" data-mask="a&quot;b"',
    );
  });

  it("writes what the tracklet template writes, for every option", () => {
    const { settings } = parseConfig(
      [
        "[webserver]",
        "analytics_tool = tracklet",
        "analytics_track = outbound, downloads",
        "analytics_download_extensions = pdf, tar.gz",
        "analytics_hash_routing = yes",
        "analytics_include = /app/*, /docs/*",
        "analytics_exclude = /app/admin/*",
        "analytics_mask = ref, invite",
      ].join("\n"),
      { file: "t.cfg", env: {} },
    );
    const sdk = sdkScript(settings.sdk ?? {}, "/tracklet/tracklet.js", false);
    const expected = `<script data-tracklet-snippet defer src="${sdk.src}" data-endpoint="/tracklet/collect"${formatSdkAttributes(sdk.attributes)}></script>`;
    expect(createSnippet(settings).html()).toBe(expected);
    expect(expected).toContain(
      'data-outbound data-downloads="pdf,tar.gz" data-tagged="false" data-engagement="false" data-hash data-include="/app/*,/docs/*" data-exclude="/app/admin/*" data-mask="ref,invite"',
    );
  });
});

describe("contentHashedPath", () => {
  it("puts a hash of the content before the extension", () => {
    const a = contentHashedPath("/tracklet/tracklet.js", Buffer.from("a"));
    expect(a).toMatch(/^\/tracklet\/tracklet\.[0-9a-f]{10}\.js$/);
    expect(contentHashedPath("/tracklet/tracklet.js", Buffer.from("b"))).not.toBe(a);
    expect(contentHashedPath("/x.dir/sdk", Buffer.from("a"))).toMatch(/^\/x\.dir\/sdk\.[0-9a-f]{10}\.js$/);
  });
});

describe("sdkScript", () => {
  const standard = browserSdkFile("standard");

  it("serves a root-relative URL at its hashed path (immutable) and at the path itself", () => {
    const script = sdkScript({}, "/static/t.js?v=1", false);
    const hashed = contentHashedPath("/static/t.js", readFileSync(standard));
    expect(script.src).toBe(`${hashed}?v=1`);
    expect(script.assets).toEqual([
      { path: hashed, file: standard, immutable: true },
      { path: "/static/t.js", file: standard },
    ]);
  });

  it("loads any other URL as it is and serves nothing", () => {
    expect(sdkScript({}, "https://cdn.example.com/t.js", false)).toMatchObject({
      src: "https://cdn.example.com/t.js",
      assets: [],
    });
  });

  it("gives a script from elsewhere every attribute, since it may be the full build", () => {
    expect(sdkScript({ track: [] }, "https://cdn.example.com/t.js", false).attributes).toEqual({
      tagged: false,
      engagement: false,
    });
  });
});
