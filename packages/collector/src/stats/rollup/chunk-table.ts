import { num } from "../read-row.js";
import { PERSON_SQL, type RollupDialect, termSql } from "../stats-dialect.js";
import { HOUR_MS } from "./rollup-plan.js";
import { dimensionSql, type EventDimension } from "./rollup-schema.js";
import type { RunSql } from "./site-rollup.js";

/**
 * The chunk's events, read once into a temporary table of this connection (`stats_chunk`) with only what the
 * rollups need: the hour, the person and its id in `stats_persons` (added there first), the UTM key and the
 * search term already computed, the props of custom events. Returns the largest person id before the chunk's
 * were added: a person with a larger one is new, so has no earlier rollup rows to look up. The temporary tables
 * are created once per connection and emptied after each chunk: creating or dropping a table would make SQLite
 * prepare every statement again.
 */
export async function fillChunkTable(
  run: RunSql,
  d: RollupDialect,
  site: string,
  start: number,
  end: number,
): Promise<number> {
  const select = `SELECT id, ts, ts / ${HOUR_MS} AS hour, type, name, path, referrer_source, session_id,
            user_id, browser, os, device, utm_source, ${dimensionSql(d).utm[0]} AS utm, ${PERSON_SQL} AS person,
            CASE WHEN type IN ('event', 'server') THEN ${termSql(d)} END AS term,
            CASE WHEN type IN ('event', 'server') THEN props END AS props,
            CAST(NULL AS BIGINT) AS person_id FROM events`;
  await run(`CREATE TEMPORARY TABLE IF NOT EXISTS stats_chunk AS ${select} WHERE 1 = 0`, []);
  await run(
    `CREATE TEMPORARY TABLE IF NOT EXISTS stats_chunk_people (dimension TEXT NOT NULL, value BIGINT,
       hour BIGINT NOT NULL, person_id BIGINT, halves BIGINT NOT NULL, previous_half BIGINT NOT NULL)`,
    [],
  );
  await run(`INSERT INTO stats_chunk ${select} WHERE site = ? AND ts >= ? AND ts < ?`, [
    site,
    start * HOUR_MS,
    end * HOUR_MS,
  ]);
  const [known] = await run("SELECT MAX(id) AS id FROM stats_persons", []);
  await run(
    "INSERT INTO stats_persons (key) SELECT DISTINCT person FROM stats_chunk WHERE 1 = 1 ON CONFLICT (key) DO NOTHING",
    [],
  );
  await run(
    "UPDATE stats_chunk SET person_id = (SELECT sp.id FROM stats_persons sp WHERE sp.key = stats_chunk.person)",
    [],
  );
  return known?.id === null || known?.id === undefined ? 0 : num(known.id);
}

export async function emptyChunkTables(run: RunSql, d: RollupDialect): Promise<void> {
  await run(d.emptyTable("stats_chunk"), []);
  await run(d.emptyTable("stats_chunk_people"), []);
}

/** Each event dimension's value expression and filter over a `stats_chunk` row. */
export function chunkDimensionSql(d: RollupDialect): Record<EventDimension, [string, string]> {
  const dimensions = dimensionSql(d);
  dimensions.utm[0] = "utm";
  return dimensions;
}

/** CTE `ev` over the chunk's events. */
export const CHUNK_EVENTS_CTE = "ev AS (SELECT * FROM stats_chunk)";
