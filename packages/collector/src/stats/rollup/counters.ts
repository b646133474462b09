import { num, str } from "../read-row.js";
import type { RollupDialect } from "../stats-dialect.js";
import { bump } from "./ranking.js";
import { type Cover, splitCover } from "./rollup-plan.js";
import { type Counter, dayCounter } from "./rollup-schema.js";

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
  const split = splitCover(cover);
  const part = `SELECT key1, key2, key3, count1, count2, measure FROM stats_counters
        WHERE site_id = ? AND counter = ? AND hour >= ? AND hour < ?${extra}`;
  const rows = await db.all(`${part} UNION ALL ${part} UNION ALL ${part}`, [
    ...[siteId, counter, split.startHour, split.leadEnd, ...params],
    ...[siteId, dayCounter(counter), split.daysStart, split.daysEnd, ...params],
    ...[siteId, counter, split.tailStart, split.endHour, ...params],
  ]);
  const out = new Map<string, CounterSum>();
  for (const r of rows) {
    const key = `${str(r.key1)}\u0000${str(r.key2)}\u0000${str(r.key3)}`;
    const sum = out.get(key);
    const measure = num(r.measure);
    if (sum) {
      sum.count1 += num(r.count1);
      sum.count2 += num(r.count2);
      sum.measureSum += measure;
      sum.measureMax = Math.max(sum.measureMax, measure);
    } else {
      const [key1, key2, key3] = [str(r.key1), str(r.key2), str(r.key3)];
      out.set(key, {
        key1,
        key2,
        key3,
        count1: num(r.count1),
        count2: num(r.count2),
        measureSum: measure,
        measureMax: measure,
      });
    }
  }
  return [...out.values()];
}

/** `count1` summed per distinct value of one key column. */
export function countsBy(rows: CounterSum[], key: "key1" | "key2"): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rows) bump(out, r[key], r.count1);
  return out;
}
