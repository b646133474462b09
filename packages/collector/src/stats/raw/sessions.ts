import { num, str } from "../read-row.js";
import { PAGEVIEW_COUNT_SQL } from "../stats-dialect.js";
import type { SessionPageRow, StatsTotals } from "../types.js";
import type { RawScope } from "./raw-scope.js";

export type SessionTotals = Pick<StatsTotals, "sessions" | "bounceRate" | "avgSessionSeconds">;

/** Sessions of the range, the share of those with pageviews that saw just one, and their mean length. */
export async function rawSessionTotals(s: RawScope): Promise<SessionTotals> {
  const [row = {}] = await s.db.all(
    `SELECT COUNT(*) AS sessions, SUM(CASE WHEN pv >= 1 THEN 1 ELSE 0 END) AS with_pageviews,
            SUM(CASE WHEN pv = 1 THEN 1 ELSE 0 END) AS bounces, AVG(last_ts - first_ts) AS avg_ms
       FROM (SELECT session_id, ${PAGEVIEW_COUNT_SQL} AS pv, MIN(ts) AS first_ts, MAX(ts) AS last_ts
               FROM events WHERE ${s.range} GROUP BY session_id) s`,
    s.params,
  );
  const withPageviews = num(row.with_pageviews);
  return {
    sessions: num(row.sessions),
    bounceRate: withPageviews === 0 ? 0 : num(row.bounces) / withPageviews,
    avgSessionSeconds: num(row.avg_ms) / 1000,
  };
}

/** Entry (first) or exit (last) pageview path of each session in the range, most sessions first. */
export async function rawSessionPages(s: RawScope, edge: "entry" | "exit"): Promise<SessionPageRow[]> {
  const order = edge === "entry" ? "ASC" : "DESC";
  const rows = await s.db.all(
    `SELECT path, COUNT(*) AS sessions
       FROM (SELECT path, ROW_NUMBER() OVER (PARTITION BY session_id ORDER BY ts ${order}, id ${order}) AS rn
               FROM events WHERE ${s.range} AND type = 'pageview') t
      WHERE rn = 1 GROUP BY path ORDER BY sessions DESC, path LIMIT ?`,
    [...s.params, s.limit],
  );
  return rows.map((r) => ({ path: str(r.path), sessions: num(r.sessions) }));
}
