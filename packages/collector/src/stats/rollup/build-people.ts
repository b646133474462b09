import type { RollupDialect } from "../stats-dialect.js";
import { CHUNK_EVENTS_CTE, chunkDimensionSql } from "./chunk-table.js";
import { DAY_HALVES, DAY_HOURS, HALF_HOUR_MS } from "./rollup-plan.js";
import { referrerSql } from "./rollup-schema.js";
import type { RunSql } from "./site-rollup.js";

/**
 * A chunk row's previous half hour with the same value: the last half of the row before in the chunk, else of the
 * last one stored (whose last half is its second when it has one: `halves` 2 or 3).
 */
const PREVIOUS_HALF_SQL = `COALESCE(LAG(k.last_half) OVER (PARTITION BY k.dimension, k.value, k.person_id ORDER BY k.hour),
    CASE WHEN k.person_id <= ? THEN
      (SELECT 2 * q.hour + q.halves / 2 FROM stats_people q WHERE q.site_id = ? AND q.dimension = k.dimension
          AND q.value = k.value AND q.person_id = k.person_id AND q.hour < ? ORDER BY q.hour DESC LIMIT 1) END, -1)`;

/**
 * Distinct people per event dimension value and hour of the chunk, into `stats_chunk_people`: which halves of the
 * hour they came in and the previous half hour the same person had that value (looked up only for people known
 * before the chunk: ids up to `knownPersons`). Dimension values go to their dictionary first.
 */
export async function buildPeople(
  run: RunSql,
  d: RollupDialect,
  siteId: number,
  start: number,
  knownPersons: number,
): Promise<void> {
  const dimensions = chunkDimensionSql(d);
  const valueSources = [
    ...Object.values(dimensions).map(([value, filter]) => `SELECT ${value} AS v FROM ev WHERE ${filter}`),
    `SELECT ${referrerSql("referrer_source")} AS v FROM ev WHERE type = 'pageview'`,
  ];
  await run(
    `WITH ${CHUNK_EVENTS_CTE} INSERT INTO stats_values (text)
      SELECT DISTINCT v FROM (${valueSources.join(" UNION ALL ")}) x WHERE v IS NOT NULL ON CONFLICT (text) DO NOTHING`,
    [],
  );
  const perDimension = Object.entries(dimensions).map(
    ([dimension, [value, filter]]) =>
      `SELECT '${dimension}' AS dimension, ${value} AS v, hour, person_id, ts / ${HALF_HOUR_MS} AS half
         FROM ev WHERE ${filter}`,
  );
  await run(
    `INSERT INTO stats_chunk_people (dimension, value, hour, person_id, halves, previous_half)
     WITH ${CHUNK_EVENTS_CTE}, raw AS (${perDimension.join(" UNION ALL ")}),
       k AS (SELECT r.dimension, (SELECT sv.id FROM stats_values sv WHERE sv.text = r.v) AS value, r.hour,
                    r.person_id, MIN(r.half) AS first_half, MAX(r.half) AS last_half
               FROM raw r GROUP BY r.dimension, r.v, r.hour, r.person_id)
     SELECT k.dimension, k.value, k.hour, k.person_id,
            CASE WHEN k.first_half = 2 * k.hour THEN 1 ELSE 0 END + CASE WHEN k.last_half > 2 * k.hour THEN 2 ELSE 0 END,
            ${PREVIOUS_HALF_SQL}
       FROM k WHERE 1 = 1`,
    [knownPersons, siteId, start],
  );
}

/**
 * The `referrer` dimension: referrer and person of each session's first pageview in each hour of the chunk. Its
 * rows are read over whole hours only, so they count as in both halves.
 */
export async function buildReferrerPeople(
  run: RunSql,
  siteId: number,
  start: number,
  end: number,
  knownPersons: number,
): Promise<void> {
  await run(
    `INSERT INTO stats_chunk_people (dimension, value, hour, person_id, halves, previous_half)
     WITH r AS (SELECT DISTINCT entry_referrer, hour, entry_person_id FROM stats_sessions
                 WHERE site_id = ? AND hour >= ? AND hour < ? AND pageviews > 0),
       k AS (SELECT 'referrer' AS dimension, (SELECT sv.id FROM stats_values sv WHERE sv.text = r.entry_referrer)
                    AS value, r.hour, r.entry_person_id AS person_id, 2 * r.hour + 1 AS last_half FROM r)
     SELECT k.dimension, k.value, k.hour, k.person_id, 3, ${PREVIOUS_HALF_SQL} FROM k WHERE 1 = 1`,
    [siteId, start, end, knownPersons, siteId, start],
  );
}

/**
 * The chunk's people rows (`stats_chunk_people`, every dimension) into `stats_people`, with their values listed
 * per dimension, and counted per hour, halves and previous half hour into `stats_people_hour_counts`. Those
 * counts keep the previous half hour exactly from the UTC day before the row's on, and only its day (its first
 * half hour) before that (-1 for none): a range starting less than a day before the hour needs no more, and
 * longer ranges read the people of their first day apart.
 */
export async function storeChunkPeople(run: RunSql, siteId: number): Promise<void> {
  await run(
    `INSERT INTO stats_dimension_values (site_id, dimension, value)
      SELECT DISTINCT CAST(? AS BIGINT), dimension, value FROM stats_chunk_people WHERE 1 = 1 ON CONFLICT DO NOTHING`,
    [siteId],
  );
  await run(
    `INSERT INTO stats_people (site_id, dimension, value, hour, person_id, halves, previous_half)
      SELECT CAST(? AS BIGINT), dimension, value, hour, person_id, halves, previous_half FROM stats_chunk_people`,
    [siteId],
  );
  const counted = `CASE WHEN previous_half >= 2 * (hour - hour % ${DAY_HOURS} - ${DAY_HOURS}) THEN previous_half
                        WHEN previous_half < 0 THEN -1 ELSE previous_half - previous_half % ${DAY_HALVES} END`;
  await run(
    `INSERT INTO stats_people_hour_counts (site_id, dimension, value, hour, previous_half, halves, people)
      SELECT CAST(? AS BIGINT), dimension, value, hour, ${counted}, halves, COUNT(*) FROM stats_chunk_people
       GROUP BY dimension, value, hour, ${counted}, halves`,
    [siteId],
  );
}

/**
 * Per-day people of one whole UTC day (first hour `day`), as counts: each person's first row of the day holds
 * the day's previous half hour, and the day's people are counted per day of it (`stats_people_day`, by its first
 * hour) and, for returning people, per that half hour (`stats_people_day_returning`). SQLite reads the day's rows
 * through its site-and-hour index (otherwise it walks every row of the site); PostgreSQL, which has no such index
 * (its planner would take it for the people probes of stats reads), reads the day's hours of each dimension value.
 */
export async function buildPeopleDay(
  run: RunSql,
  d: RollupDialect,
  siteId: number,
  day: number,
): Promise<void> {
  const byHour = d.indexedBy("stats_people_hour");
  const rows = byHour
    ? `stats_people p ${byHour} WHERE p.site_id = ? AND p.hour >= ? AND p.hour < ?`
    : `stats_dimension_values dv JOIN stats_people p ON p.site_id = dv.site_id AND p.dimension = dv.dimension
         AND p.value = dv.value AND p.hour >= ? AND p.hour < ? WHERE dv.site_id = ?`;
  const params = byHour ? [siteId, day, day + DAY_HOURS] : [day, day + DAY_HOURS, siteId];
  // Each person's first row of the day, read once for both counts (temporary, like the chunk's events).
  await run(
    `CREATE TEMPORARY TABLE IF NOT EXISTS stats_chunk_day (site_id BIGINT NOT NULL, dimension TEXT NOT NULL,
       value BIGINT NOT NULL, previous_half BIGINT NOT NULL)`,
    [],
  );
  await run(
    `INSERT INTO stats_chunk_day (site_id, dimension, value, previous_half)
     SELECT p.site_id, p.dimension, p.value, MIN(p.previous_half) FROM ${rows}
      GROUP BY p.site_id, p.dimension, p.value, p.person_id`,
    params,
  );
  const previousDay = `CASE WHEN previous_half < 0 THEN -1 ELSE (previous_half - previous_half % ${DAY_HALVES}) / 2 END`;
  await run(
    `INSERT INTO stats_people_day (site_id, dimension, value, day, previous_day, people)
     SELECT site_id, dimension, value, CAST(? AS BIGINT), ${previousDay}, COUNT(*) FROM stats_chunk_day
      GROUP BY site_id, dimension, value, ${previousDay}`,
    [day],
  );
  await run(
    `INSERT INTO stats_people_day_returning (site_id, dimension, value, previous_half, day, people)
     SELECT site_id, dimension, value, previous_half, CAST(? AS BIGINT), COUNT(*) FROM stats_chunk_day
      WHERE previous_half >= 0 GROUP BY site_id, dimension, value, previous_half`,
    [day],
  );
  await run(d.emptyTable("stats_chunk_day"), []);
}
