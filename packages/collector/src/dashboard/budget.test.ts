import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { sampleStatsResult } from "../../test/dashboard/fixture.js";
import { renderDashboardPage } from "./render.js";
import { parseDashboardState } from "./state.js";

/** The page's JS+CSS must stay under 50 KB gzip (the page has no other assets). */
const BUDGET_BYTES = 50 * 1024;

describe("page weight", () => {
  const parsed = parseDashboardState(
    {},
    { timezone: "UTC", limit: 10, now: new Date("2026-11-08T12:00:00Z") },
  );
  if (!parsed.ok) throw new Error("state");
  const html = renderDashboardPage({
    title: "tracklet",
    basePath: "/tracklet",
    state: { ...parsed.state, site: "shop.example", compare: true },
    site: "shop.example",
    sites: ["shop.example"],
    result: sampleStatsResult(),
    previous: sampleStatsResult(),
    statsApiHref: "/tracklet/api/stats",
    nonce: "n",
  });

  it("loads no external script, stylesheet, font or image", () => {
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toMatch(/<link[^>]+rel="?stylesheet/);
    expect(html).not.toMatch(/<img\b/);
    expect(html).not.toContain("@import");
    expect(html).not.toContain("url(");
  });

  it("keeps its inline JS+CSS within the gzip budget", () => {
    const inline = [...html.matchAll(/<(script|style)[^>]*>([\s\S]*?)<\/\1>/g)].map((m) => m[2] ?? "");
    expect(inline).toHaveLength(2);
    const gzipped = gzipSync(Buffer.from(inline.join("\n")), { level: 9 }).length;
    expect(gzipped).toBeGreaterThan(0);
    expect(gzipped).toBeLessThanOrEqual(BUDGET_BYTES);
  });
});
