import { ACTIVE_USER_DAYS, LIVE_MS } from "../query-echo.js";
import { num } from "../read-row.js";
import { PAGEVIEW_COUNT_SQL, PERSON_SQL, type StatsDialect } from "../stats-dialect.js";
import { addLocalDays } from "../time-zone.js";
import type { StatsResult } from "../types.js";

/** Distinct people on the last day, 7 days and 30 days ending at `to` (local days of `timezone`). */
export async function rawActiveUsers(
  db: StatsDialect,
  site: string,
  to: number,
  timezone: string,
): Promise<StatsResult["activeUsers"]> {
  const start = (days: number) => addLocalDays(timezone, to - 1, days);
  const [row = {}] = await db.all(
    `SELECT COUNT(DISTINCT CASE WHEN ts >= ? THEN ${PERSON_SQL} END) AS dau,
            COUNT(DISTINCT CASE WHEN ts >= ? THEN ${PERSON_SQL} END) AS wau,
            COUNT(DISTINCT ${PERSON_SQL}) AS mau
       FROM events WHERE site = ? AND ts >= ? AND ts < ?`,
    [start(ACTIVE_USER_DAYS.dau), start(ACTIVE_USER_DAYS.wau), site, start(ACTIVE_USER_DAYS.mau), to],
  );
  return { dau: num(row.dau), wau: num(row.wau), mau: num(row.mau) };
}

/** Visitors and pageviews of the 30 minutes before `now`, whatever the query's range. */
export async function liveActivity(
  db: StatsDialect,
  site: string,
  now: number,
): Promise<StatsResult["live"]> {
  const [row = {}] = await db.all(
    `SELECT COUNT(DISTINCT ${PERSON_SQL}) AS visitors, ${PAGEVIEW_COUNT_SQL} AS pageviews
       FROM events WHERE site = ? AND ts >= ? AND ts <= ?`,
    [site, now - LIVE_MS, now],
  );
  return { visitors: num(row.visitors), pageviews: num(row.pageviews) };
}
