import { addLocalDays, formatZoned, timeBuckets } from "./time-zone.js";
import type {
  EventPropRow,
  EventRow,
  NamedCount,
  PageRow,
  SessionPageRow,
  StatsQuery,
  StatsResult,
  UtmRow,
} from "./types.js";

/** What differs between the SQL dialects; everything else in the stats queries is shared text. */
export interface StatsDialect {
  /** Runs a query written with `?` placeholders. */
  all(sql: string, params: unknown[]): Promise<Record<string, unknown>[]>;
  /** A CTE `buckets(i, s, e)` over the given boundaries, plus its parameters. */
  bucketsCte(starts: number[], ends: number[]): { sql: string; params: unknown[] };
  /** FROM-clause suffix expanding `e.props` into rows `p.key`, and the text expression of the value. */
  propsJoin: string;
  propValueText: string;
  /** Text of a top-level property of `props`, or NULL. `key` is a trusted literal. */
  propText(key: string): string;
}

/** One identity per person: the signed-in user when known, else the daily visitor hash. */
const PERSON = "COALESCE(user_id, visitor_id)";
const CUSTOM = "type IN ('event', 'server')";

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const str = (v: unknown): string => (v === null || v === undefined ? "" : String(v));
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

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

/**
 * Computes every figure of `StatsResult` with SQL run in the store. Ranges are `[from, to)` on the receive time
 * `ts` (epoch ms) and use the `(site, ts)` index (PostgreSQL also `(site, type, ts)`); time zone arithmetic happens
 * here.
 */
export async function computeStats(db: StatsDialect, q: StatsQuery, now: number): Promise<StatsResult> {
  const from = q.from.getTime();
  const to = q.to.getTime();
  const tz = q.timezone;
  const limit = Math.max(1, Math.min(100, Math.floor(q.limit)));
  const range = "site = ? AND ts >= ? AND ts < ?";
  const rp = [q.site, from, to];

  const buckets = timeBuckets(tz, from, to, q.interval);
  const cte = db.bucketsCte(
    buckets.map((b) => b.start),
    buckets.map((b) => b.end),
  );

  const dayStart = addLocalDays(tz, to - 1, 0);
  const weekStart = addLocalDays(tz, to - 1, -6);
  const monthStart = addLocalDays(tz, to - 1, -29);

  const searchNames = q.searchEvents.length > 0 ? q.searchEvents : ["\u0000none"];
  const searchIn = searchNames.map(() => "?").join(", ");

  const [
    totals,
    sessions,
    series,
    active,
    pages,
    entry,
    exit,
    referrers,
    utm,
    browsers,
    os,
    devices,
    events,
    users,
    terms,
    live,
  ] = await Promise.all([
    db.all(
      `SELECT COUNT(DISTINCT ${PERSON}) AS visitors,
                SUM(CASE WHEN type = 'pageview' THEN 1 ELSE 0 END) AS pageviews,
                SUM(CASE WHEN ${CUSTOM} THEN 1 ELSE 0 END) AS events
           FROM events WHERE ${range}`,
      rp,
    ),
    db.all(
      `SELECT COUNT(*) AS sessions,
                SUM(CASE WHEN pv >= 1 THEN 1 ELSE 0 END) AS with_pageviews,
                SUM(CASE WHEN pv = 1 THEN 1 ELSE 0 END) AS bounces,
                AVG(last_ts - first_ts) AS avg_ms
           FROM (SELECT session_id, SUM(CASE WHEN type = 'pageview' THEN 1 ELSE 0 END) AS pv,
                        MIN(ts) AS first_ts, MAX(ts) AS last_ts
                   FROM events WHERE ${range} GROUP BY session_id) s`,
      rp,
    ),
    db.all(
      `WITH ${cte.sql}
         SELECT b.i AS i, COUNT(DISTINCT COALESCE(e.user_id, e.visitor_id)) AS visitors,
                SUM(CASE WHEN e.type = 'pageview' THEN 1 ELSE 0 END) AS pageviews
           FROM buckets b
           LEFT JOIN events e ON e.site = ? AND e.ts >= b.s AND e.ts < b.e AND e.ts >= ? AND e.ts < ?
          GROUP BY b.i ORDER BY b.i`,
      [...cte.params, ...rp],
    ),
    db.all(
      `SELECT COUNT(DISTINCT CASE WHEN ts >= ? THEN ${PERSON} END) AS dau,
                COUNT(DISTINCT CASE WHEN ts >= ? THEN ${PERSON} END) AS wau,
                COUNT(DISTINCT ${PERSON}) AS mau
           FROM events WHERE ${range}`,
      [dayStart, weekStart, q.site, monthStart, to],
    ),
    db.all(
      `SELECT path, COUNT(*) AS pageviews, COUNT(DISTINCT ${PERSON}) AS visitors
           FROM events WHERE ${range} AND type = 'pageview'
          GROUP BY path ORDER BY pageviews DESC, path LIMIT ?`,
      [...rp, limit],
    ),
    sessionEdgePages(db, range, rp, "ASC", limit),
    sessionEdgePages(db, range, rp, "DESC", limit),
    db.all(
      `SELECT COALESCE(referrer_source, 'Direct / None') AS name, COUNT(DISTINCT person) AS visitors
           FROM (SELECT referrer_source, ${PERSON} AS person,
                        ROW_NUMBER() OVER (PARTITION BY session_id ORDER BY ts, id) AS rn
                   FROM events WHERE ${range} AND type = 'pageview') t
          WHERE rn = 1 GROUP BY COALESCE(referrer_source, 'Direct / None') ORDER BY visitors DESC, name LIMIT ?`,
      [...rp, limit],
    ),
    db.all(
      `SELECT utm_source AS source, utm_medium AS medium, utm_campaign AS campaign,
                COUNT(DISTINCT ${PERSON}) AS visitors
           FROM events WHERE ${range} AND utm_source IS NOT NULL
          GROUP BY utm_source, utm_medium, utm_campaign
          ORDER BY visitors DESC, source, medium, campaign LIMIT ?`,
      [...rp, limit],
    ),
    namedCounts(db, "browser", range, rp, limit),
    namedCounts(db, "os", range, rp, limit),
    namedCounts(db, "device", range, rp, limit),
    db.all(
      `SELECT name, COUNT(*) AS count, COUNT(DISTINCT ${PERSON}) AS visitors
           FROM events WHERE ${range} AND ${CUSTOM}
          GROUP BY name ORDER BY count DESC, name LIMIT ?`,
      [...rp, limit],
    ),
    db.all(
      `SELECT user_id, COUNT(*) AS events, SUM(CASE WHEN type = 'pageview' THEN 1 ELSE 0 END) AS pageviews,
                MAX(ts) AS last_ts
           FROM events WHERE ${range} AND user_id IS NOT NULL
          GROUP BY user_id ORDER BY events DESC, user_id LIMIT ?`,
      [...rp, limit],
    ),
    db.all(
      `SELECT term, COUNT(*) AS count
           FROM (SELECT LOWER(TRIM(COALESCE(${db.propText("query")}, ${db.propText("q")}, ${db.propText("term")}))) AS term
                   FROM events WHERE ${range} AND ${CUSTOM} AND name IN (${searchIn})) t
          WHERE term IS NOT NULL AND term <> ''
          GROUP BY term ORDER BY count DESC, term LIMIT ?`,
      [...rp, ...searchNames, limit],
    ),
    db.all(
      `SELECT COUNT(DISTINCT ${PERSON}) AS visitors, SUM(CASE WHEN type = 'pageview' THEN 1 ELSE 0 END) AS pageviews
           FROM events WHERE site = ? AND ts >= ? AND ts <= ?`,
      [q.site, now - 30 * 60_000, now],
    ),
  ]);

  const eventRows: EventRow[] = events.map((r) => ({
    name: str(r.name),
    count: num(r.count),
    visitors: num(r.visitors),
    props: [],
  }));
  await attachTopProps(db, eventRows, range, rp, limit);

  const t = totals[0] ?? {};
  const s = sessions[0] ?? {};
  const a = active[0] ?? {};
  const l = live[0] ?? {};
  const withPageviews = num(s.with_pageviews);
  const seriesByIndex = new Map(series.map((r) => [num(r.i), r]));
  return {
    ...queryEcho(q),
    totals: {
      visitors: num(t.visitors),
      pageviews: num(t.pageviews),
      sessions: num(s.sessions),
      events: num(t.events),
      bounceRate: withPageviews === 0 ? 0 : num(s.bounces) / withPageviews,
      avgSessionSeconds: num(s.avg_ms) / 1000,
    },
    series: buckets.map((b, i) => {
      const row = seriesByIndex.get(i);
      return {
        bucket: formatZoned(tz, b.start),
        visitors: num(row?.visitors),
        pageviews: num(row?.pageviews),
      };
    }),
    activeUsers: { dau: num(a.dau), wau: num(a.wau), mau: num(a.mau) },
    topPages: pages.map(
      (r): PageRow => ({ path: str(r.path), pageviews: num(r.pageviews), visitors: num(r.visitors) }),
    ),
    entryPages: entry,
    exitPages: exit,
    referrers: referrers.map((r): NamedCount => ({ name: str(r.name), visitors: num(r.visitors) })),
    utm: utm.map(
      (r): UtmRow => ({
        source: str(r.source),
        medium: strOrNull(r.medium),
        campaign: strOrNull(r.campaign),
        visitors: num(r.visitors),
      }),
    ),
    browsers,
    os,
    devices,
    events: eventRows,
    users: users.map((r) => ({
      userId: str(r.user_id),
      events: num(r.events),
      pageviews: num(r.pageviews),
      lastSeen: new Date(num(r.last_ts)).toISOString(),
    })),
    searchTerms: terms.map((r) => ({ term: str(r.term), count: num(r.count) })),
    live: { visitors: num(l.visitors), pageviews: num(l.pageviews) },
  };
}

/** Entry (first) or exit (last) pageview path of each session in the range. */
async function sessionEdgePages(
  db: StatsDialect,
  range: string,
  rp: unknown[],
  order: "ASC" | "DESC",
  limit: number,
): Promise<SessionPageRow[]> {
  const rows = await db.all(
    `SELECT path, COUNT(*) AS sessions
       FROM (SELECT path, ROW_NUMBER() OVER (PARTITION BY session_id ORDER BY ts ${order}, id ${order}) AS rn
               FROM events WHERE ${range} AND type = 'pageview') t
      WHERE rn = 1 GROUP BY path ORDER BY sessions DESC, path LIMIT ?`,
    [...rp, limit],
  );
  return rows.map((r) => ({ path: str(r.path), sessions: num(r.sessions) }));
}

/** Distinct people per browser/os/device among browser-sent events (`Unknown` when the UA said nothing). */
async function namedCounts(
  db: StatsDialect,
  column: "browser" | "os" | "device",
  range: string,
  rp: unknown[],
  limit: number,
): Promise<NamedCount[]> {
  const rows = await db.all(
    `SELECT COALESCE(${column}, 'Unknown') AS name, COUNT(DISTINCT ${PERSON}) AS visitors
       FROM events WHERE ${range} AND type <> 'server'
      GROUP BY COALESCE(${column}, 'Unknown') ORDER BY visitors DESC, name LIMIT ?`,
    [...rp, limit],
  );
  return rows.map((r) => ({ name: str(r.name), visitors: num(r.visitors) }));
}

/** Top property key/value pairs of each listed event name, `limit` per event. */
async function attachTopProps(
  db: StatsDialect,
  rows: EventRow[],
  range: string,
  rp: unknown[],
  limit: number,
): Promise<void> {
  if (rows.length === 0) return;
  const names = rows.map((r) => r.name);
  const eRange = range
    .replace("site = ?", "e.site = ?")
    .replace("ts >= ?", "e.ts >= ?")
    .replace("ts < ?", "e.ts < ?");
  const props = await db.all(
    `SELECT e.name AS name, p.key AS key, ${db.propValueText} AS value, COUNT(*) AS count
       FROM events e ${db.propsJoin}
      WHERE ${eRange} AND e.type IN ('event', 'server') AND e.props IS NOT NULL
        AND e.name IN (${names.map(() => "?").join(", ")})
      GROUP BY e.name, p.key, ${db.propValueText}
      ORDER BY count DESC, key, value`,
    [...rp, ...names],
  );
  const byName = new Map(rows.map((r) => [r.name, r]));
  for (const p of props) {
    const row = byName.get(str(p.name));
    if (!row || row.props.length >= limit) continue;
    const prop: EventPropRow = { key: str(p.key), value: str(p.value), count: num(p.count) };
    row.props.push(prop);
  }
}
