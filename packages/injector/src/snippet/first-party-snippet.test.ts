import { describe, expect, it } from "vitest";
import type { AnalyticsSettings, AnalyticsTool } from "../types.js";
import { createSnippet } from "./create-snippet.js";

const BASE = { spaPageviews: false, useralejs: {}, sources: {} };
const VENDORS: Array<[AnalyticsTool, Partial<AnalyticsSettings>, RegExp]> = [
  ["google_analytics", { id: "G-ABCDE12" }, /googletagmanager/],
  ["segment", { id: "writekey" }, /cdn\.segment\.com/],
  ["metarouter", { id: "writekey" }, /cdn\.metarouter\.io/],
  ["matomo", { id: "3", url: "https://matomo.example.com/" }, /matomo\.example\.com/],
];

/** Every `src` and `data-endpoint` of the snippet's scripts. */
const urlsOf = (html: string) => [...html.matchAll(/(?:src|data-endpoint)="([^"]*)"/g)].map((m) => m[1]);

describe("createSnippet with analytics_mode", () => {
  it.each(VENDORS)("first_party %s: only tracklet's SDK from the app's origin", (tool, extra, vendor) => {
    const snippet = createSnippet({ ...BASE, tool, ...extra, mode: "first_party" });
    const html = snippet.html();
    expect(html).not.toMatch(vendor);
    expect(snippet.bootstrapJs).toBe("");
    expect(urlsOf(html)).toEqual([
      expect.stringMatching(/^\/tracklet\/tracklet\.[0-9a-f]{10}\.js$/),
      "/tracklet/collect",
    ]);
    expect(snippet.assets?.map((a) => a.path)).toContain("/tracklet/tracklet.js");
  });

  it.each(VENDORS)("both %s: the vendor's snippet as in client mode, then tracklet's SDK", (tool, extra) => {
    const client = createSnippet({ ...BASE, tool, ...extra }).html();
    const both = createSnippet({ ...BASE, tool, ...extra, mode: "both" }).html();
    expect(both.startsWith(`${client}\n`)).toBe(true);
    expect(both.slice(client.length)).toMatch(/data-endpoint="\/tracklet\/collect"/);
    expect(both).not.toContain("data-bridge");
  });

  it("client is today's snippet, with or without the option", () => {
    for (const [tool, extra] of VENDORS) {
      const today = createSnippet({ ...BASE, tool, ...extra, spaPageviews: true });
      const client = createSnippet({ ...BASE, tool, ...extra, spaPageviews: true, mode: "client" });
      expect(client.html()).toBe(today.html());
      expect(client.bootstrapJs).toBe(today.bootstrapJs);
    }
  });

  it("both with analytics_spa_pageviews: one SDK that counts and bridges", () => {
    const html = createSnippet({
      ...BASE,
      tool: "segment",
      id: "writekey",
      spaPageviews: true,
      mode: "both",
      sdk: { track: ["outbound"] },
    }).html();
    const sdkTags = html.match(/<script[^>]*tracklet\.[0-9a-f]+\.js[^>]*>/g) ?? [];
    expect(sdkTags).toHaveLength(1);
    expect(sdkTags[0]).toContain('data-endpoint="/tracklet/collect"');
    expect(sdkTags[0]).toContain('data-bridge="analytics"');
    expect(sdkTags[0]).toContain("data-outbound");
  });

  it("first_party keeps the site and SDK options", () => {
    const html = createSnippet({
      ...BASE,
      tool: "google_analytics",
      id: "G-ABCDE12",
      mode: "first_party",
      site: "shop",
      sdk: { track: ["downloads", "engagement"] },
    }).html();
    expect(html).toContain('data-site="shop"');
    expect(html).toContain("data-downloads");
    expect(html).toContain('data-tagged="false"');
  });

  it("refuses first_party for a tool the collector cannot forward to", () => {
    const settings = { ...BASE, tool: "apache_flagon_useralejs" as const, mode: "first_party" as const };
    expect(() => createSnippet(settings)).toThrow(/works with google_analytics, segment, metarouter, matomo/);
  });
});
