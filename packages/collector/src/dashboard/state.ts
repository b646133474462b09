import { WIRE_LIMITS } from "@tracklet/browser-sdk/wire";
import type { StatsInterval, StatsQuery } from "../stats/types.js";
import { addDays, daysBetween, isIsoDate, isValidTimeZone, zonedDate, zonedMidnight } from "./zoned-time.js";

/** Quick ranges offered next to the custom from–to picker. */
export type RangePreset = "today" | "7d" | "30d" | "custom";

const PRESETS: readonly RangePreset[] = ["today", "7d", "30d", "custom"];
const INTERVALS: readonly StatsInterval[] = ["hour", "day", "week"];
/** Longest range one page may ask for, and the longest one shown in hourly buckets. */
export const MAX_RANGE_DAYS = 731;
export const MAX_HOURLY_DAYS = 31;

/** Everything the dashboard URL holds; the page, the CSV exports and the JSON link are all built from it. */
export interface DashboardState {
  /** Null until a site is picked; the page then shows the default site or the busiest one. */
  site: string | null;
  range: RangePreset;
  /** First and last calendar day shown (both inclusive), `YYYY-MM-DD` in `timezone`. */
  from: string;
  to: string;
  interval: StatsInterval;
  timezone: string;
  /** Also query the previous period of the same length and show deltas and an overlay. */
  compare: boolean;
  /** Rows per top-N table. */
  limit: number;
}

export interface StateDefaults {
  timezone: string;
  limit: number;
  now: Date;
}

export type ParsedState = { ok: true; state: DashboardState } | { ok: false; errors: string[] };

/** The single string value of a query parameter (the first when repeated), or undefined when absent/empty. */
function param(query: Record<string, unknown>, name: string): string | undefined {
  let value = query[name];
  if (Array.isArray(value)) value = value[0];
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

/**
 * Reads `?site=&range=&from=&to=&interval=&tz=&compare=1&limit=` into a state, or says what is wrong with which
 * parameter. `from`/`to` without `range` mean a custom range; no range at all means the last 7 days.
 */
export function parseDashboardState(query: Record<string, unknown>, defaults: StateDefaults): ParsedState {
  const errors: string[] = [];

  const site = param(query, "site") ?? null;
  if (site !== null && site.length > WIRE_LIMITS.maxSiteLength)
    errors.push(`site: longer than ${WIRE_LIMITS.maxSiteLength} characters`);

  const timezone = param(query, "tz") ?? defaults.timezone;
  if (!isValidTimeZone(timezone))
    errors.push(`tz: unknown time zone "${timezone}" (use an IANA name like Europe/Paris)`);

  const fromParam = param(query, "from");
  const toParam = param(query, "to");
  const rangeParam = param(query, "range");
  let range: RangePreset = fromParam || toParam ? "custom" : "7d";
  if (rangeParam !== undefined) {
    if ((PRESETS as readonly string[]).includes(rangeParam)) range = rangeParam as RangePreset;
    else errors.push(`range: expected one of ${PRESETS.join(", ")}, got "${rangeParam}"`);
  }

  const today = zonedDate(defaults.now.getTime(), isValidTimeZone(timezone) ? timezone : "UTC");
  let from = today;
  let to = today;
  if (range === "7d") from = addDays(today, -6);
  else if (range === "30d") from = addDays(today, -29);
  else if (range === "custom") {
    if (!fromParam || !isIsoDate(fromParam))
      errors.push(`from: expected a date YYYY-MM-DD, got "${fromParam ?? ""}"`);
    if (!toParam || !isIsoDate(toParam))
      errors.push(`to: expected a date YYYY-MM-DD, got "${toParam ?? ""}"`);
    if (fromParam && toParam && isIsoDate(fromParam) && isIsoDate(toParam)) {
      from = fromParam;
      to = toParam;
      if (from > to) errors.push(`from: ${from} is after to: ${to}`);
      else if (daysBetween(from, to) + 1 > MAX_RANGE_DAYS)
        errors.push(`from/to: more than ${MAX_RANGE_DAYS} days`);
    }
  }
  const days = daysBetween(from, to) + 1;

  let interval: StatsInterval = days <= 2 ? "hour" : days <= 92 ? "day" : "week";
  const intervalParam = param(query, "interval");
  if (intervalParam !== undefined) {
    if ((INTERVALS as readonly string[]).includes(intervalParam)) interval = intervalParam as StatsInterval;
    else errors.push(`interval: expected one of ${INTERVALS.join(", ")}, got "${intervalParam}"`);
  }
  if (interval === "hour" && days > MAX_HOURLY_DAYS) {
    errors.push(`interval: hourly buckets are limited to ${MAX_HOURLY_DAYS} days, this range has ${days}`);
  }

  const compareParam = param(query, "compare");
  const compare = compareParam === "1" || compareParam === "true" || compareParam === "on";

  let limit = defaults.limit;
  const limitParam = param(query, "limit");
  if (limitParam !== undefined) {
    limit = Number(limitParam);
    if (!/^\d+$/.test(limitParam) || limit < 1 || limit > 100) {
      errors.push(`limit: expected a whole number from 1 to 100, got "${limitParam}"`);
    }
  }

  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, state: { site, range, from, to, interval, timezone, compare, limit } };
}

/** The query string (without `?`) that reproduces `state`; presets stay relative (`range=7d`), custom is fixed. */
export function stateQueryString(state: DashboardState, overrides: Partial<DashboardState> = {}): string {
  const s = { ...state, ...overrides };
  const params = new URLSearchParams();
  if (s.site !== null) params.set("site", s.site);
  if (s.range === "custom") {
    params.set("from", s.from);
    params.set("to", s.to);
  } else {
    params.set("range", s.range);
  }
  params.set("interval", s.interval);
  params.set("tz", s.timezone);
  if (s.compare) params.set("compare", "1");
  params.set("limit", String(s.limit));
  return params.toString();
}

/** The stats query for the range the state shows: local midnight of `from` to local midnight after `to`. */
export function toStatsQuery(
  state: DashboardState,
  site: string,
  searchEvents: string[],
  conversions: Pick<StatsQuery, "goals" | "funnels"> = {},
): StatsQuery {
  return {
    ...conversions,
    site,
    from: zonedMidnight(state.from, state.timezone),
    to: zonedMidnight(addDays(state.to, 1), state.timezone),
    interval: state.interval,
    timezone: state.timezone,
    limit: state.limit,
    searchEvents,
  };
}

/** The same number of calendar days right before the state's range (what "compare" compares with). */
export function previousPeriod(state: DashboardState): DashboardState {
  const days = daysBetween(state.from, state.to) + 1;
  return { ...state, range: "custom", from: addDays(state.from, -days), to: addDays(state.from, -1) };
}
