import { describe, expect, it } from "vitest";
import { sampleStatsResult, XSS } from "../../test/dashboard/fixture.js";
import { renderDestinationsSection } from "./destinations-table.js";
import { renderDashboardPage } from "./render.js";
import { parseDashboardState } from "./state.js";

const rows = [
  { destination: "ga4", collected: 12345, forwarded: 12000, failed: 300, dropped: 45 },
  { destination: "store", collected: 12345, forwarded: 12345, failed: 0, dropped: 0 },
];

describe("Destinations table", () => {
  it("lists collected, forwarded, failed and dropped per destination", () => {
    const html = renderDestinationsSection(rows);
    expect(html).toContain('<h2 id="h-destinations">Destinations</h2>');
    const cells = [...html.matchAll(/<t[hd][^>]*>([^<]*)<\/t[hd]>/g)].map((m) => m[1]);
    expect(cells).toEqual([
      ...["Destination", "Collected", "Forwarded", "Failed", "Dropped"],
      ...["ga4", "12,345", "12,000", "300", "45"],
      ...["store", "12,345", "12,345", "0", "0"],
    ]);
  });

  it("says so when nothing reached a destination, and is absent when the store keeps no counts", () => {
    expect(renderDestinationsSection([])).toContain("No events reached a destination");
    expect(renderDestinationsSection(undefined)).toBe("");
  });

  it("escapes destination names", () => {
    const html = renderDestinationsSection([{ ...rows[1], destination: XSS.path } as (typeof rows)[number]]);
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;");
  });

  it("is placed on the dashboard page after the tables", () => {
    const parsed = parseDashboardState(
      { site: "shop.example" },
      { timezone: "UTC", limit: 10, now: new Date() },
    );
    if (!parsed.ok) throw new Error("state");
    const view = {
      title: "KPIs",
      basePath: "/tracklet",
      state: parsed.state,
      site: "shop.example",
      sites: ["shop.example"],
      previous: null,
      statsApiHref: null,
      nonce: "abc",
    };
    const html = renderDashboardPage({ ...view, result: { ...sampleStatsResult(), destinations: rows } });
    expect(html).toContain('id="table-destinations"');
    expect(html.indexOf('id="section-destinations"')).toBeGreaterThan(html.indexOf('id="section-users"'));
    expect(renderDashboardPage({ ...view, result: sampleStatsResult() })).not.toContain(
      "section-destinations",
    );
  });
});
