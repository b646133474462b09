import { CHUNK_EVENTS_CTE } from "./chunk-table.js";
import type { RunSql } from "./site-rollup.js";

/**
 * One `stats_journeys` row per pageview and custom event of the chunk, under its path or name in the `page` or
 * `event` dimension's dictionary (filled by `buildPeople` first). Events without a path or name are left out:
 * no goal or funnel step matches them.
 */
export async function buildJourneys(run: RunSql, siteId: number): Promise<void> {
  await run(
    `WITH ${CHUNK_EVENTS_CTE},
      j AS (SELECT CASE WHEN type = 'pageview' THEN 'page' ELSE 'event' END AS dimension,
                   CASE WHEN type = 'pageview' THEN path ELSE name END AS v, ts, id, session_id, person_id, props
              FROM ev WHERE (type = 'pageview' AND path IS NOT NULL)
                         OR (type IN ('event', 'server') AND name IS NOT NULL))
     INSERT INTO stats_journeys (site_id, dimension, value, ts, event_id, session, person_id, props)
     SELECT CAST(? AS BIGINT), j.dimension, (SELECT sv.id FROM stats_values sv WHERE sv.text = j.v), j.ts, j.id,
            j.session_id, j.person_id, j.props
       FROM j`,
    [siteId],
  );
}
