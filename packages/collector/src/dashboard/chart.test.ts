import { describe, expect, it } from "vitest";
import { sampleStatsResult } from "../../test/dashboard/fixture.js";
import { bucketLabel, niceMax, renderSeriesChart } from "./chart.js";

describe("renderSeriesChart", () => {
  const series = sampleStatsResult().series;

  it("is an accessible image: role, title and desc referenced by aria-labelledby", () => {
    const svg = renderSeriesChart({
      id: "c",
      series,
      interval: "day",
      rangeLabel: "2026-11-01 to 2026-11-07 (UTC)",
    });
    expect(svg).toMatch(/^<svg [^>]*role="img" aria-labelledby="c-title c-desc"/);
    expect(svg).toContain(
      '<title id="c-title">Visitors and pageviews per day, 2026-11-01 to 2026-11-07 (UTC)</title>',
    );
    expect(svg).toContain("7 day buckets, 37121 pageviews in total, peaking at 5606 on 11-07");
    expect(svg.match(/<path /g)).toHaveLength(2);
    expect(svg).not.toContain("stroke-dasharray");
  });

  it("overlays the previous period as dashed lines", () => {
    const svg = renderSeriesChart({ id: "c", series, previous: series, interval: "day", rangeLabel: "r" });
    expect(svg.match(/<path /g)).toHaveLength(4);
    expect(svg.match(/stroke-dasharray/g)).toHaveLength(2);
    expect(svg).toContain("Dashed lines show the previous period.");
  });

  it("says so when there is no data", () => {
    const svg = renderSeriesChart({ id: "c", series: [], interval: "hour", rangeLabel: "r" });
    expect(svg).toContain('<desc id="c-desc">No data in this range.</desc>');
    expect(svg).toContain(">No data in this range</text>");
  });

  it("escapes whatever reaches the text", () => {
    const svg = renderSeriesChart({ id: "c", series, interval: "day", rangeLabel: "<script>x</script>" });
    expect(svg).not.toContain("<script>");
  });
});

describe("axis helpers", () => {
  it("rounds the axis top to 1, 2 or 5 times a power of ten", () => {
    expect(niceMax(0)).toBe(1);
    expect(niceMax(7)).toBe(10);
    expect(niceMax(130)).toBe(200);
    expect(niceMax(4100)).toBe(5000);
    expect(niceMax(1000)).toBe(1000);
  });
  it("labels buckets by their own wall time", () => {
    expect(bucketLabel("2026-11-05T14:00:00+01:00", "hour")).toBe("11-05 14:00");
    expect(bucketLabel("2026-11-05T00:00:00+01:00", "week")).toBe("11-05");
  });
});
