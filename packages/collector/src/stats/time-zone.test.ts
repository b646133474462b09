import { describe, expect, it } from "vitest";
import {
  formatZoned,
  isValidTimeZone,
  offsetMinutes,
  startOfLocalDay,
  timeBuckets,
  timeZoneCacheSizes,
  zonedParts,
  zonedTimeToEpoch,
} from "./time-zone.js";

const Z = (iso: string) => Date.parse(iso);

describe("time zone arithmetic", () => {
  it("knows offsets on both sides of a DST change", () => {
    expect(offsetMinutes("Europe/Paris", Z("2024-03-31T00:59:00Z"))).toBe(60);
    expect(offsetMinutes("Europe/Paris", Z("2024-03-31T01:00:00Z"))).toBe(120);
    expect(offsetMinutes("America/New_York", Z("2024-11-03T06:30:00Z"))).toBe(-300);
    expect(offsetMinutes("Asia/Kolkata", Z("2024-01-01T00:00:00Z"))).toBe(330);
  });

  it("maps wall times to instants, the skipped hour to the instant after the gap", () => {
    expect(zonedTimeToEpoch("Europe/Paris", 2024, 3, 31, 0)).toBe(Z("2024-03-30T23:00:00Z"));
    expect(zonedTimeToEpoch("Europe/Paris", 2024, 3, 31, 2)).toBe(Z("2024-03-31T01:00:00Z"));
    expect(startOfLocalDay("Asia/Kolkata", Z("2024-01-01T20:00:00Z"))).toBe(Z("2024-01-01T18:30:00Z"));
  });

  it("formats with the offset in force", () => {
    expect(formatZoned("Europe/Paris", Z("2024-03-31T01:00:00Z"))).toBe("2024-03-31T03:00:00+02:00");
    expect(formatZoned("UTC", Z("2024-03-31T01:00:00Z"))).toBe("2024-03-31T01:00:00+00:00");
    expect(formatZoned("America/St_Johns", Z("2024-01-01T12:00:00Z"))).toBe("2024-01-01T08:30:00-03:30");
  });

  it("gives a fall-back day 25 hour buckets and a 25-hour day bucket", () => {
    const from = Z("2024-11-03T04:00:00Z"); // 00:00 EDT
    const to = Z("2024-11-04T05:00:00Z"); // 00:00 EST next day
    const hours = timeBuckets("America/New_York", from, to, "hour");
    expect(hours).toHaveLength(25);
    expect(hours.slice(1, 3).map((b) => formatZoned("America/New_York", b.start))).toEqual([
      "2024-11-03T01:00:00-04:00",
      "2024-11-03T01:00:00-05:00",
    ]);
    const days = timeBuckets("America/New_York", from, to, "day");
    expect(days).toEqual([{ start: from, end: to }]);
  });

  it("starts weeks on local Monday midnight", () => {
    const [week] = timeBuckets("Europe/Paris", Z("2024-03-28T12:00:00Z"), Z("2024-03-29T00:00:00Z"), "week");
    expect(formatZoned("Europe/Paris", week?.start ?? 0)).toBe("2024-03-25T00:00:00+01:00");
    expect(formatZoned("Europe/Paris", week?.end ?? 0)).toBe("2024-04-01T00:00:00+02:00");
  });

  it("refuses ranges with too many buckets", () => {
    expect(() => timeBuckets("UTC", 0, 86_400_000 * 1000, "hour", 100)).toThrow(RangeError);
  });
});

/** The `n`th case variant of `name` (bit i of n upper-cases letter i). */
function caseVariant(name: string, n: number): string {
  let bit = 0;
  return [...name]
    .map((c) => (/[a-z]/i.test(c) && (n >> bit++) & 1 ? c.toUpperCase() : c.toLowerCase()))
    .join("");
}

describe("zone caches", () => {
  it("share one formatter between case variants of a zone", () => {
    expect(isValidTimeZone("europe/PARIS")).toBe(true);
    expect(offsetMinutes("EUROPE/paris", Z("2024-07-01T00:00:00Z"))).toBe(120);
    expect(isValidTimeZone("Europe/Nowhere")).toBe(false);
    expect(isValidTimeZone("x".repeat(65))).toBe(false);
    expect(isValidTimeZone("")).toBe(false);
  });

  it("stay bounded when 10,000 distinct names are asked for", () => {
    const zones = ["America/Argentina/Buenos_Aires", "Europe/Paris", "Asia/Kolkata", "Pacific/Auckland"];
    const seen = new Set<string>();
    for (let i = 0; seen.size < 10_000; i++) {
      const name = i % 5 === 4 ? `Nowhere/Zone${i}` : caseVariant(zones[i % 5] ?? "UTC", Math.floor(i / 5));
      if (seen.has(name)) continue;
      seen.add(name);
      if (isValidTimeZone(name)) zonedParts(name, 0);
    }
    const sizes = timeZoneCacheSizes();
    expect(sizes.names).toBeLessThanOrEqual(1000);
    expect(sizes.formatters).toBeLessThanOrEqual(64);
    // Four zones were asked for (through their aliases and case variants): four formatters, not thousands.
    expect(sizes.formatters).toBeLessThanOrEqual(8);
  });
});
