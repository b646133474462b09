import type { StatsQuery, StatsResult } from "./types.js";

/** The query as a stats result repeats it. */
export function queryEcho(
  q: StatsQuery,
): Pick<StatsResult, "site" | "from" | "to" | "interval" | "timezone"> {
  return {
    site: q.site,
    from: q.from.toISOString(),
    to: q.to.toISOString(),
    interval: q.interval,
    timezone: q.timezone,
  };
}

/** Rows per table: the query's limit clamped to 1..100. */
export function rowLimit(q: StatsQuery): number {
  return Math.max(1, Math.min(100, Math.floor(q.limit)));
}

/** Start of the last day, 7 days and 30 days ending at `to`, in the query's zone (DAU, WAU, MAU). */
export const ACTIVE_USER_DAYS = { dau: 0, wau: -6, mau: -29 } as const;

/** Live figures cover the 30 minutes before now. */
export const LIVE_MS = 30 * 60_000;
