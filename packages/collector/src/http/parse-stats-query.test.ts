import { WIRE_LIMITS } from "@tracklet/browser-sdk/wire";
import { describe, expect, it } from "vitest";
import { parseStatsQuery } from "./parse-stats-query.js";

const defaults = { now: Date.parse("2026-11-08T12:00:00Z"), searchEvents: ["search"] };

function refusal(query: Record<string, unknown>): { param: string | undefined; message: string } {
  try {
    parseStatsQuery(query, defaults);
  } catch (err) {
    const { path, message } = err as { path?: string; message: string };
    return { param: path, message };
  }
  throw new Error("accepted");
}

describe("parseStatsQuery", () => {
  it("accepts a site id exactly as long as ingestion accepts, and refuses a longer one", () => {
    const site = "x".repeat(WIRE_LIMITS.maxSiteLength);
    expect(parseStatsQuery({ site }, defaults).site).toBe(site);
    expect(refusal({ site: `${site}x` })).toEqual({
      param: "site",
      message: `site is longer than ${WIRE_LIMITS.maxSiteLength} characters.`,
    });
  });

  it("accepts a zone in any letter case and refuses unknown or overlong names", () => {
    expect(parseStatsQuery({ site: "a", tz: "europe/paris" }, defaults).timezone).toBe("europe/paris");
    expect(refusal({ site: "a", tz: "Mars/Olympus" }).param).toBe("tz");
    expect(refusal({ site: "a", tz: "x".repeat(10_000) }).param).toBe("tz");
  });
});
