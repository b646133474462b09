import { num } from "../read-row.js";
import { DAY_HOURS } from "./rollup-plan.js";
import { type Counter, dayCounter } from "./rollup-schema.js";
import type { RunSql } from "./site-rollup.js";

const UPSERT_COUNTER = `INSERT INTO stats_counters (site_id, counter, hour, key1, key2, key3, count1, count2, measure)
  VALUES (?, ?, ?, ?, '', '', ?, ?, ?)
  ON CONFLICT (site_id, counter, hour, key1, key2, key3) DO UPDATE
    SET count1 = stats_counters.count1 + excluded.count1, count2 = stats_counters.count2 + excluded.count2,
        measure = stats_counters.measure + excluded.measure`;

/**
 * Adds (`sign` 1) or removes (-1) one single-hour session row's share of the session counters, and of its
 * day's counters when that day is built (it ends by `builtTo`).
 */
export async function addSingleSession(
  run: RunSql,
  siteId: number,
  row: Record<string, unknown>,
  sign: 1 | -1,
  builtTo: number,
): Promise<void> {
  const hour = num(row.hour);
  const day = Math.floor(hour / DAY_HOURS) * DAY_HOURS;
  const at: Array<[(c: Counter) => string, number]> = [[(c) => c, hour]];
  if (day + DAY_HOURS <= builtTo) at.push([dayCounter, day]);
  const pageviews = num(row.pageviews);
  for (const [name, h] of at) {
    const upsert = (counter: Counter, key1: string, count1: number, count2: number, measure: number) =>
      run(UPSERT_COUNTER, [siteId, name(counter), h, key1, count1, count2, measure]);
    await upsert(
      "singleSessions",
      "",
      sign,
      pageviews >= 1 ? sign : 0,
      sign * (num(row.last_ts) - num(row.first_ts)),
    );
    if (pageviews === 1) await upsert("singleBounces", "", sign, 0, 0);
    if (pageviews >= 1) {
      await upsert("singleEntries", String(row.entry_path ?? ""), sign, 0, 0);
      await upsert("singleExits", String(row.exit_path ?? ""), sign, 0, 0);
    }
    // Emptied counters go, so the tables hold the same rows however the hours were built.
    if (sign < 0)
      await run(
        `DELETE FROM stats_counters WHERE site_id = ? AND hour = ? AND counter IN (?, ?, ?, ?)
            AND count1 = 0 AND count2 = 0 AND measure = 0`,
        [
          siteId,
          h,
          name("singleSessions"),
          name("singleBounces"),
          name("singleEntries"),
          name("singleExits"),
        ],
      );
  }
}
