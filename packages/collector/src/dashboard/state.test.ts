import { WIRE_LIMITS } from "@tracklet/browser-sdk/wire";
import { describe, expect, it } from "vitest";
import { parseDashboardState, previousPeriod, stateQueryString, toStatsQuery } from "./state.js";

const defaults = { timezone: "UTC", limit: 10, now: new Date("2026-11-08T15:00:00Z") };

function ok(query: Record<string, unknown>, d = defaults) {
  const parsed = parseDashboardState(query, d);
  if (!parsed.ok) throw new Error(parsed.errors.join("; "));
  return parsed.state;
}

function errors(query: Record<string, unknown>) {
  const parsed = parseDashboardState(query, defaults);
  return parsed.ok ? [] : parsed.errors;
}

describe("parseDashboardState", () => {
  it("shows the last 7 days per day when the URL has nothing", () => {
    expect(ok({})).toEqual({
      site: null,
      range: "7d",
      from: "2026-11-02",
      to: "2026-11-08",
      interval: "day",
      timezone: "UTC",
      compare: false,
      limit: 10,
    });
  });

  it("resolves today per hour and 30 days per day", () => {
    expect(ok({ range: "today" })).toMatchObject({ from: "2026-11-08", to: "2026-11-08", interval: "hour" });
    expect(ok({ range: "30d" })).toMatchObject({ from: "2026-10-10", to: "2026-11-08", interval: "day" });
  });

  it("takes today from the requested time zone", () => {
    const late = { ...defaults, now: new Date("2026-11-08T23:30:00Z") };
    expect(ok({ range: "today", tz: "Asia/Tokyo" }, late)).toMatchObject({
      from: "2026-11-09",
      timezone: "Asia/Tokyo",
    });
  });

  it("reads a shareable custom range with interval, zone, compare and limit", () => {
    expect(
      ok({
        site: "a.example",
        from: "2026-10-01",
        to: "2026-10-31",
        interval: "week",
        tz: "Europe/Paris",
        compare: "1",
        limit: "50",
      }),
    ).toEqual({
      site: "a.example",
      range: "custom",
      from: "2026-10-01",
      to: "2026-10-31",
      interval: "week",
      timezone: "Europe/Paris",
      compare: true,
      limit: 50,
    });
  });

  it("lets an explicit preset win over leftover from/to fields", () => {
    expect(ok({ range: "7d", from: "2020-01-01", to: "2020-01-02" })).toMatchObject({
      range: "7d",
      from: "2026-11-02",
    });
  });

  it("takes the first value of a repeated parameter", () => {
    expect(ok({ site: ["a.example", "b.example"] }).site).toBe("a.example");
  });

  it.each([
    [{ from: "2026-13-01", to: "2026-11-02" }, "from: expected a date YYYY-MM-DD"],
    [{ from: "2026-11-01" }, "to: expected a date YYYY-MM-DD"],
    [{ from: "2026-11-05", to: "2026-11-01" }, "is after to"],
    [{ from: "2020-01-01", to: "2026-01-01" }, "more than 731 days"],
    [{ range: "90d" }, "range: expected one of"],
    [{ interval: "minute" }, "interval: expected one of"],
    [
      { from: "2026-09-01", to: "2026-10-31", interval: "hour" },
      "hourly buckets are limited to 31 days, this range has 61",
    ],
    [{ tz: "Mars/Olympus" }, 'tz: unknown time zone "Mars/Olympus"'],
    [{ limit: "0" }, "limit: expected a whole number from 1 to 100"],
    [{ limit: "5e1" }, "limit: expected a whole number from 1 to 100"],
    [{ site: "x".repeat(254) }, "site: longer than 253 characters"],
  ])("refuses %j saying what is wrong", (query, message) => {
    expect(errors(query).join("\n")).toContain(message);
  });
});

it("accepts a site id as long as ingestion accepts", () => {
  const site = "x".repeat(WIRE_LIMITS.maxSiteLength);
  const parsed = parseDashboardState({ site }, { timezone: "UTC", limit: 10, now: new Date() });
  expect(parsed.ok && parsed.state.site).toBe(site);
});

describe("stateQueryString", () => {
  it("round-trips a custom state", () => {
    const state = ok({ site: "a&b", from: "2026-10-01", to: "2026-10-31", tz: "Europe/Paris", compare: "1" });
    const query = Object.fromEntries(new URLSearchParams(stateQueryString(state)));
    expect(query).toEqual({
      site: "a&b",
      from: "2026-10-01",
      to: "2026-10-31",
      interval: "day",
      tz: "Europe/Paris",
      compare: "1",
      limit: "10",
    });
    expect(ok(query)).toEqual(state);
  });
  it("keeps presets relative", () => {
    expect(stateQueryString(ok({ range: "30d" }))).toBe("range=30d&interval=day&tz=UTC&limit=10");
  });
});

describe("toStatsQuery and previousPeriod", () => {
  it("asks from local midnight of the first day to local midnight after the last", () => {
    const state = ok({ from: "2026-11-01", to: "2026-11-07", tz: "Europe/Paris" });
    const query = toStatsQuery(state, "a.example", ["search"]);
    expect(query.from.toISOString()).toBe("2026-10-31T23:00:00.000Z");
    expect(query.to.toISOString()).toBe("2026-11-07T23:00:00.000Z");
    expect(query).toMatchObject({
      site: "a.example",
      interval: "day",
      timezone: "Europe/Paris",
      limit: 10,
      searchEvents: ["search"],
    });
  });
  it("compares with the same number of days right before", () => {
    const prev = previousPeriod(ok({ from: "2026-11-01", to: "2026-11-07" }));
    expect(prev).toMatchObject({ from: "2026-10-25", to: "2026-10-31", range: "custom" });
    expect(previousPeriod(ok({ range: "today" }))).toMatchObject({ from: "2026-11-07", to: "2026-11-07" });
  });
});
