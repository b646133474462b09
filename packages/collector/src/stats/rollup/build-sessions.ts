import { num } from "../read-row.js";
import { CHUNK_EVENTS_CTE } from "./chunk-table.js";
import { orNullText, referrerSql } from "./rollup-schema.js";
import { addSingleSession } from "./single-sessions.js";
import type { RunSql } from "./site-rollup.js";

/**
 * One `stats_sessions` row per session and hour of the chunk, linked to the session's previous and next hour.
 * Sessions continuing from an earlier hour get that hour's row linked too; a former single-hour session leaves
 * the single-session counters.
 */
export async function buildSessions(
  run: RunSql,
  siteId: number,
  start: number,
  end: number,
  builtTo: number,
): Promise<void> {
  await run(
    `WITH ${CHUNK_EVENTS_CTE},
      marked AS (SELECT hour, session_id, type, ts, ${orNullText("path")} AS path,
                        ${referrerSql("referrer_source")} AS referrer, person_id,
                        ROW_NUMBER() OVER w AS first_rank,
                        COUNT(*) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS ranked
                   FROM ev WINDOW w AS (PARTITION BY hour, session_id, type = 'pageview' ORDER BY ts, id)),
      per_hour AS (SELECT hour, session_id, SUM(CASE WHEN type = 'pageview' THEN 1 ELSE 0 END) AS pageviews,
                    MIN(ts) AS first_ts, MAX(ts) AS last_ts,
                    MAX(CASE WHEN type = 'pageview' AND first_rank = 1 THEN path END) AS entry_path,
                    MAX(CASE WHEN type = 'pageview' AND first_rank = 1 THEN referrer END) AS entry_referrer,
                    MAX(CASE WHEN type = 'pageview' AND first_rank = 1 THEN person_id END) AS entry_person_id,
                    MAX(CASE WHEN type = 'pageview' AND first_rank = ranked THEN path END) AS exit_path
               FROM marked GROUP BY hour, session_id)
     INSERT INTO stats_sessions (site_id, hour, session, pageviews, first_ts, last_ts, entry_path, entry_referrer,
                                 entry_person_id, exit_path, previous_hour, next_hour)
     SELECT CAST(? AS BIGINT), r.hour, r.session_id, r.pageviews, r.first_ts, r.last_ts, r.entry_path,
            r.entry_referrer, r.entry_person_id, r.exit_path,
            COALESCE(LAG(r.hour) OVER (PARTITION BY r.session_id ORDER BY r.hour),
                     (SELECT MAX(x.hour) FROM stats_sessions x WHERE x.site_id = ? AND x.session = r.session_id
                         AND x.hour < ?), -1),
            COALESCE(LEAD(r.hour) OVER (PARTITION BY r.session_id ORDER BY r.hour), -1)
       FROM per_hour r WHERE 1 = 1`,
    [siteId, siteId, start],
  );
  const continued = await run(
    `SELECT o.hour, o.session, o.pageviews, o.first_ts, o.last_ts, o.entry_path, o.exit_path, o.previous_hour,
            o.next_hour, n.hour AS continued_hour
       FROM stats_sessions n
       JOIN stats_sessions o ON o.site_id = n.site_id AND o.session = n.session AND o.hour = n.previous_hour
      WHERE n.site_id = ? AND n.hour >= ? AND n.hour < ? AND n.previous_hour >= 0 AND n.previous_hour < ?`,
    [siteId, start, end, start],
  );
  for (const o of continued) {
    await run("UPDATE stats_sessions SET next_hour = ? WHERE site_id = ? AND hour = ? AND session = ?", [
      num(o.continued_hour),
      siteId,
      num(o.hour),
      String(o.session),
    ]);
    if (num(o.previous_hour) === -1 && num(o.next_hour) === -1)
      await addSingleSession(run, siteId, o, -1, builtTo);
  }
}
