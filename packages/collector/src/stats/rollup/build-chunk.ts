import type { RollupDialect } from "../stats-dialect.js";
import { buildCounters, buildDayCounters } from "./build-counters.js";
import { buildJourneys } from "./build-journeys.js";
import { buildPeople, buildPeopleDay, buildReferrerPeople, storeChunkPeople } from "./build-people.js";
import { buildSessions } from "./build-sessions.js";
import { emptyChunkTables, fillChunkTable } from "./chunk-table.js";
import { DAY_HOURS } from "./rollup-plan.js";
import type { RunSql, SiteRollup } from "./site-rollup.js";

/**
 * Builds hours `[start, end)` of a site (none of them built yet) and moves its `builtTo` to `end`. Runs inside
 * one rollup transaction (the store holds the write lock, and on PostgreSQL an advisory lock, so collectors
 * sharing a database never build the same hours at once). Rows are only ever computed going forward:
 * `rewindSite` drops everything from an hour on and the builder rebuilds from there, so the previous/next hour
 * links never need patching further ahead.
 */
export async function buildChunk(
  run: RunSql,
  d: RollupDialect,
  s: SiteRollup,
  start: number,
  end: number,
): Promise<void> {
  const builtTo = s.builtTo;
  if (end > start) {
    const knownPersons = await fillChunkTable(run, d, s.site, start, end);
    await buildPeople(run, d, s.id, start, knownPersons);
    await buildJourneys(run, s.id);
    await buildSessions(run, s.id, start, end, builtTo);
    await buildCounters(run, d, s, start, end);
    await buildReferrerPeople(run, s.id, start, end, knownPersons);
    await storeChunkPeople(run, s.id);
    await emptyChunkTables(run, d);
  }
  for (const day of completedDays(builtTo, start, end)) {
    await buildPeopleDay(run, d, s.id, day);
    await buildDayCounters(run, s.id, day);
  }
  await run("UPDATE stats_sites SET built_to = ? WHERE id = ?", [end, s.id]);
  s.builtTo = end;
}

/**
 * Days completed since the last chunk, which get their per-day rows: the day `builtTo` was inside of, and those
 * ending within the chunk. Days wholly inside skipped empty hours have no rows.
 */
function completedDays(builtTo: number, start: number, end: number): Set<number> {
  const days = new Set<number>();
  const partial = Math.floor(builtTo / DAY_HOURS) * DAY_HOURS;
  if (partial < builtTo && partial + DAY_HOURS <= end) days.add(partial);
  if (end > start)
    for (let day = Math.floor(start / DAY_HOURS) * DAY_HOURS; day + DAY_HOURS <= end; day += DAY_HOURS)
      if (day + DAY_HOURS > start) days.add(day);
  return days;
}
