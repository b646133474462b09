import { WIRE_LIMITS } from "@tracklet/browser-sdk/wire";
import { isValidTimeZone } from "../stats/time-zone.js";
import type { StatsInterval, StatsQuery } from "../stats/types.js";
import { HttpError } from "./errors.js";

const DAY_MS = 86_400_000;
const MAX_RANGE_MS = 3 * 366 * DAY_MS;

function invalid(param: string, message: string): HttpError {
  return new HttpError(400, "invalid_query", message, param);
}

function one(query: Record<string, unknown>, name: string): string | undefined {
  const v = query[name];
  if (v === undefined) return undefined;
  if (typeof v !== "string") throw invalid(name, `${name} must be given once.`);
  return v;
}

/** `2024-03-01`, `2024-03-01T10:00:00Z` or epoch milliseconds. */
function parseTime(name: string, value: string): Date {
  const d = /^\d+$/.test(value) ? new Date(Number(value)) : new Date(value);
  if (Number.isNaN(d.getTime()))
    throw invalid(name, `${name} must be an ISO 8601 date/time or epoch milliseconds.`);
  return d;
}

/**
 * Parses `GET /api/stats?site&from&to&interval&tz&limit&search`. Defaults: the last 7 days up to now, `day`
 * buckets (`hour` for ranges up to 2 days), UTC, 10 rows per table.
 */
export function parseStatsQuery(
  query: Record<string, unknown>,
  defaults: { now: number; searchEvents: string[] },
): StatsQuery {
  const site = one(query, "site");
  if (!site) throw invalid("site", "site is required.");
  if (site.length > WIRE_LIMITS.maxSiteLength)
    throw invalid("site", `site is longer than ${WIRE_LIMITS.maxSiteLength} characters.`);
  const toText = one(query, "to");
  const fromText = one(query, "from");
  const to = toText ? parseTime("to", toText) : new Date(defaults.now);
  const from = fromText ? parseTime("from", fromText) : new Date(to.getTime() - 7 * DAY_MS);
  if (from.getTime() >= to.getTime()) throw invalid("from", "from must be before to.");
  if (to.getTime() - from.getTime() > MAX_RANGE_MS) throw invalid("from", "The range is limited to 3 years.");
  const intervalText = one(query, "interval");
  let interval: StatsInterval;
  if (intervalText === undefined) interval = to.getTime() - from.getTime() <= 2 * DAY_MS ? "hour" : "day";
  else if (intervalText === "hour" || intervalText === "day" || intervalText === "week")
    interval = intervalText;
  else throw invalid("interval", "interval must be hour, day or week.");
  if (interval === "hour" && to.getTime() - from.getTime() > 93 * DAY_MS) {
    throw invalid("interval", "hour buckets are limited to ranges of 93 days.");
  }
  const timezone = one(query, "tz") ?? "UTC";
  if (!isValidTimeZone(timezone))
    throw invalid("tz", `Unknown time zone ${JSON.stringify(timezone.slice(0, 64))}.`);
  const limitText = one(query, "limit");
  let limit = 10;
  if (limitText !== undefined) {
    if (!/^\d+$/.test(limitText) || Number(limitText) < 1 || Number(limitText) > 100) {
      throw invalid("limit", "limit must be an integer from 1 to 100.");
    }
    limit = Number(limitText);
  }
  const searchText = one(query, "search");
  const searchEvents = searchText
    ? searchText
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean)
        .slice(0, 20)
    : defaults.searchEvents;
  return { site, from, to, interval, timezone, limit, searchEvents };
}
