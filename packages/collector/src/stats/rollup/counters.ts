import { num, str } from "../read-row.js";
import type { RollupDialect } from "../stats-dialect.js";
import { bump, top } from "./ranking.js";
import { type Cover, splitCover } from "./rollup-plan.js";
import { type Counter, dayCounter } from "./rollup-schema.js";
import type { RollupScope } from "./rollup-scope.js";

/** A counter's sums for one key over a covered run (`measureSum` the sum of `measure`, `measureMax` its largest). */
export interface CounterSum {
  key1: string;
  key2: string;
  key3: string;
  count1: number;
  count2: number;
  measureSum: number;
  measureMax: number;
}

/** The SQL of a counter's rows over a covered run: per-day rows for its whole UTC days, per-hour rows around them. */
function coveredRows(
  siteId: number,
  cover: Cover,
  counter: Counter,
  columns: string,
  extra: string,
  params: unknown[],
) {
  const split = splitCover(cover);
  const part = `SELECT ${columns} FROM stats_counters
        WHERE site_id = ? AND counter = ? AND hour >= ? AND hour < ?${extra}`;
  return {
    sql: `${part} UNION ALL ${part} UNION ALL ${part}`,
    params: [
      ...[siteId, counter, split.startHour, split.leadEnd, ...params],
      ...[siteId, dayCounter(counter), split.daysStart, split.daysEnd, ...params],
      ...[siteId, counter, split.tailStart, split.endHour, ...params],
    ],
  };
}

/**
 * A counter summed per key over the covered run: per-day rows for its whole UTC days, per-hour rows around them.
 * `extra` narrows the rows (an SQL condition) with its `params`.
 */
export async function readCounter(
  db: RollupDialect,
  siteId: number,
  cover: Cover,
  counter: Counter,
  extra = "",
  params: unknown[] = [],
): Promise<CounterSum[]> {
  const covered = coveredRows(
    siteId,
    cover,
    counter,
    "key1, key2, key3, count1, count2, measure",
    extra,
    params,
  );
  const rows = await db.all(
    `SELECT key1, key2, key3, SUM(count1) AS count1, SUM(count2) AS count2, SUM(measure) AS measure_sum,
            MAX(measure) AS measure_max
       FROM (${covered.sql}) covered GROUP BY key1, key2, key3`,
    covered.params,
  );
  return rows.map((r) => ({
    key1: str(r.key1),
    key2: str(r.key2),
    key3: str(r.key3),
    count1: num(r.count1),
    count2: num(r.count2),
    measureSum: num(r.measure_sum),
    measureMax: num(r.measure_max),
  }));
}

/**
 * The top `s.limit` keys of a counter by `count1` over the range, ties in text order: the covered sums plus
 * `deltas` (what the raw parts add or take away per key). The database sums the covered rows and returns only
 * the keys ranked within `s.limit + deltas.size` (ties included) and those in `deltas`: any other
 * key has at least `s.limit` keys untouched by `deltas` with a larger count, so it cannot rank.
 */
export async function rankCounter(
  s: RollupScope,
  counter: Counter,
  key: "key1" | "key2",
  deltas: Map<string, number>,
  extra = "",
  params: unknown[] = [],
): Promise<Array<[string, number]>> {
  const covered = coveredRows(s.siteId, s.cover, counter, `${key} AS k, count1`, extra, params);
  const touched = s.db.rowsCte(
    "touched",
    [["k", "text"]],
    [...deltas.keys()].map((k) => [k]),
  );
  // Keys ranked within `take`, ties included, are those counting at least the `take`-th largest count: a top-N
  // pick, where ranking every key (a window over all of them) would sort them all.
  const rows = await s.db.all(
    `WITH ${touched.sql},
          sums AS MATERIALIZED (SELECT k, SUM(count1) AS n FROM (${covered.sql}) covered GROUP BY k)
     SELECT k, n FROM sums
      WHERE n >= COALESCE((SELECT n FROM sums ORDER BY n DESC LIMIT 1 OFFSET ?), 0)
         OR k IN (SELECT k FROM touched)`,
    [...touched.params, ...covered.params, s.limit + deltas.size - 1],
  );
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(str(r.k), num(r.n));
  for (const [k, delta] of deltas) bump(counts, k, delta);
  return top(counts, s.limit, s.order);
}
