import { num, str, strOrNull } from "../read-row.js";
import { CUSTOM_SQL, DIRECT, PAGEVIEW_COUNT_SQL, PERSON_SQL, termSql } from "../stats-dialect.js";
import type { EventRow, NamedCount, PageRow, SearchTermRow, UserRow, UtmRow } from "../types.js";
import type { RawScope } from "./raw-scope.js";

/** The top-N tables from raw events; ties break by name so both paths order rows the same way. */

export async function rawTopPages(s: RawScope): Promise<PageRow[]> {
  const rows = await s.db.all(
    `SELECT path, COUNT(*) AS pageviews, COUNT(DISTINCT ${PERSON_SQL}) AS visitors
       FROM events WHERE ${s.range} AND type = 'pageview'
      GROUP BY path ORDER BY pageviews DESC, path LIMIT ?`,
    [...s.params, s.limit],
  );
  return rows.map((r) => ({ path: str(r.path), pageviews: num(r.pageviews), visitors: num(r.visitors) }));
}

/** Distinct people per referrer of each session's first pageview. */
export async function rawReferrers(s: RawScope): Promise<NamedCount[]> {
  const rows = await s.db.all(
    `SELECT COALESCE(referrer_source, '${DIRECT}') AS name, COUNT(DISTINCT person) AS visitors
       FROM (SELECT referrer_source, ${PERSON_SQL} AS person,
                    ROW_NUMBER() OVER (PARTITION BY session_id ORDER BY ts, id) AS rn
               FROM events WHERE ${s.range} AND type = 'pageview') t
      WHERE rn = 1 GROUP BY COALESCE(referrer_source, '${DIRECT}') ORDER BY visitors DESC, name LIMIT ?`,
    [...s.params, s.limit],
  );
  return rows.map((r) => ({ name: str(r.name), visitors: num(r.visitors) }));
}

export async function rawUtm(s: RawScope): Promise<UtmRow[]> {
  const rows = await s.db.all(
    `SELECT utm_source AS source, utm_medium AS medium, utm_campaign AS campaign,
            COUNT(DISTINCT ${PERSON_SQL}) AS visitors
       FROM events WHERE ${s.range} AND utm_source IS NOT NULL
      GROUP BY utm_source, utm_medium, utm_campaign
      ORDER BY visitors DESC, source, medium, campaign LIMIT ?`,
    [...s.params, s.limit],
  );
  return rows.map((r) => ({
    source: str(r.source),
    medium: strOrNull(r.medium),
    campaign: strOrNull(r.campaign),
    visitors: num(r.visitors),
  }));
}

/** Distinct people per browser/os/device among browser-sent events (`Unknown` when the UA said nothing). */
export async function rawAgentCounts(
  s: RawScope,
  column: "browser" | "os" | "device",
): Promise<NamedCount[]> {
  const rows = await s.db.all(
    `SELECT COALESCE(${column}, 'Unknown') AS name, COUNT(DISTINCT ${PERSON_SQL}) AS visitors
       FROM events WHERE ${s.range} AND type <> 'server'
      GROUP BY COALESCE(${column}, 'Unknown') ORDER BY visitors DESC, name LIMIT ?`,
    [...s.params, s.limit],
  );
  return rows.map((r) => ({ name: str(r.name), visitors: num(r.visitors) }));
}

/** Custom events by name, without their properties (see `props.ts`). */
export async function rawEvents(s: RawScope): Promise<EventRow[]> {
  const rows = await s.db.all(
    `SELECT name, COUNT(*) AS count, COUNT(DISTINCT ${PERSON_SQL}) AS visitors
       FROM events WHERE ${s.range} AND ${CUSTOM_SQL}
      GROUP BY name ORDER BY count DESC, name LIMIT ?`,
    [...s.params, s.limit],
  );
  return rows.map((r) => ({ name: str(r.name), count: num(r.count), visitors: num(r.visitors), props: [] }));
}

/** Signed-in users by number of events. */
export async function rawUsers(s: RawScope): Promise<UserRow[]> {
  const rows = await s.db.all(
    `SELECT user_id, COUNT(*) AS events, ${PAGEVIEW_COUNT_SQL} AS pageviews, MAX(ts) AS last_ts
       FROM events WHERE ${s.range} AND user_id IS NOT NULL
      GROUP BY user_id ORDER BY events DESC, user_id LIMIT ?`,
    [...s.params, s.limit],
  );
  return rows.map((r) => ({
    userId: str(r.user_id),
    events: num(r.events),
    pageviews: num(r.pageviews),
    lastSeen: new Date(num(r.last_ts)).toISOString(),
  }));
}

/** Terms of the custom events named in `searchEvents`. */
export async function rawSearchTerms(s: RawScope, searchEvents: string[]): Promise<SearchTermRow[]> {
  // `IN ()` is no SQL; with no search event there is no term to count.
  if (searchEvents.length === 0) return [];
  const rows = await s.db.all(
    `SELECT term, COUNT(*) AS count
       FROM (SELECT ${termSql(s.db)} AS term
               FROM events WHERE ${s.range} AND ${CUSTOM_SQL} AND name IN (${searchEvents.map(() => "?").join(", ")})) t
      WHERE term IS NOT NULL AND term <> ''
      GROUP BY term ORDER BY count DESC, term LIMIT ?`,
    [...s.params, ...searchEvents, s.limit],
  );
  return rows.map((r) => ({ term: str(r.term), count: num(r.count) }));
}
