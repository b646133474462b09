import { CUSTOM_SQL, PAGEVIEW_COUNT_SQL, type RollupDialect } from "../stats-dialect.js";
import { CHUNK_EVENTS_CTE } from "./chunk-table.js";
import { DAY_HOURS, HALF_HOUR_MS, HOUR_MS } from "./rollup-plan.js";
import { COUNTERS, dayCounter, MAX_MEASURE, orNullText } from "./rollup-schema.js";
import type { RunSql, SiteRollup } from "./site-rollup.js";

const INSERT =
  "INSERT INTO stats_counters (site_id, counter, hour, key1, key2, key3, count1, count2, measure)";

/** The chunk's summable counters (see `COUNTERS`): from its events, and from its single-hour session rows. */
export async function buildCounters(
  run: RunSql,
  d: RollupDialect,
  s: SiteRollup,
  start: number,
  end: number,
): Promise<void> {
  const site = "CAST(? AS BIGINT)";
  await run(
    `WITH ${CHUNK_EVENTS_CTE} ${INSERT}
     SELECT ${site}, 'totals', hour, '', '', '', ${PAGEVIEW_COUNT_SQL},
            SUM(CASE WHEN ${CUSTOM_SQL} THEN 1 ELSE 0 END),
            SUM(CASE WHEN type = 'pageview' AND ts % ${HOUR_MS} < ${HALF_HOUR_MS} THEN 1 ELSE 0 END)
       FROM ev GROUP BY hour
     UNION ALL
     SELECT ${site}, 'pages', hour, ${orNullText("path")}, '', '', COUNT(*), 0, 0 FROM ev WHERE type = 'pageview'
      GROUP BY hour, ${orNullText("path")}
     UNION ALL
     SELECT ${site}, 'events', hour, ${orNullText("name")}, '', '', COUNT(*), 0, 0 FROM ev WHERE ${CUSTOM_SQL}
      GROUP BY hour, ${orNullText("name")}
     UNION ALL
     SELECT ${site}, 'users', hour, user_id, '', '', COUNT(*), ${PAGEVIEW_COUNT_SQL}, MAX(ts)
       FROM ev WHERE user_id IS NOT NULL GROUP BY hour, user_id
     UNION ALL
     SELECT ${site}, 'searchTerms', hour, name, term, '', COUNT(*), 0, 0
       FROM (SELECT hour, ${orNullText("name")} AS name, term FROM ev WHERE ${CUSTOM_SQL}) t
      WHERE term IS NOT NULL AND term <> '' GROUP BY hour, name, term`,
    [s.id, s.id, s.id, s.id, s.id],
  );
  await run(
    `${INSERT}
     SELECT ${site}, 'props', e.ts / ${HOUR_MS}, ${orNullText("e.name")}, p.key, ${d.propValueText}, COUNT(*), 0, 0
       FROM events e ${d.propsJoin}
      WHERE e.site = ? AND e.ts >= ? AND e.ts < ? AND e.type IN ('event', 'server') AND e.props IS NOT NULL
      GROUP BY e.ts / ${HOUR_MS}, ${orNullText("e.name")}, p.key, ${d.propValueText}`,
    [s.id, s.site, start * HOUR_MS, end * HOUR_MS],
  );
  await buildSingleSessionCounters(run, s.id, start, end);
}

async function buildSingleSessionCounters(run: RunSql, siteId: number, start: number, end: number) {
  const singles = "site_id = ? AND hour >= ? AND hour < ? AND previous_hour = -1 AND next_hour = -1";
  await run(
    `${INSERT}
     SELECT site_id, 'singleSessions', hour, '', '', '', COUNT(*), SUM(CASE WHEN pageviews >= 1 THEN 1 ELSE 0 END),
            SUM(last_ts - first_ts) FROM stats_sessions WHERE ${singles} GROUP BY site_id, hour
     UNION ALL
     SELECT site_id, 'singleBounces', hour, '', '', '', COUNT(*), 0, 0 FROM stats_sessions
      WHERE ${singles} AND pageviews = 1 GROUP BY site_id, hour
     UNION ALL
     SELECT site_id, 'singleEntries', hour, entry_path, '', '', COUNT(*), 0, 0 FROM stats_sessions
      WHERE ${singles} AND pageviews >= 1 GROUP BY site_id, hour, entry_path
     UNION ALL
     SELECT site_id, 'singleExits', hour, exit_path, '', '', COUNT(*), 0, 0 FROM stats_sessions
      WHERE ${singles} AND pageviews >= 1 GROUP BY site_id, hour, exit_path
     ON CONFLICT (site_id, counter, hour, key1, key2, key3) DO UPDATE
       SET count1 = stats_counters.count1 + excluded.count1, count2 = stats_counters.count2 + excluded.count2,
           measure = stats_counters.measure + excluded.measure`,
    [siteId, start, end, siteId, start, end, siteId, start, end, siteId, start, end],
  );
}

/** Per-day counters of one whole UTC day (first hour `day`) from its hourly counters. */
export async function buildDayCounters(run: RunSql, siteId: number, day: number): Promise<void> {
  for (const counter of COUNTERS)
    await run(
      `${INSERT}
       SELECT site_id, '${dayCounter(counter)}', CAST(? AS BIGINT), key1, key2, key3, SUM(count1), SUM(count2),
              ${MAX_MEASURE.includes(counter) ? "MAX(measure)" : "SUM(measure)"}
         FROM stats_counters WHERE site_id = ? AND counter = ? AND hour >= ? AND hour < ?
        GROUP BY site_id, key1, key2, key3`,
      [day, siteId, counter, day, day + DAY_HOURS],
    );
}
