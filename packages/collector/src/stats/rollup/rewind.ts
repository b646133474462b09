import { num } from "../read-row.js";
import { DAY_HOURS, HOUR_MS } from "./rollup-plan.js";
import { COUNTERS, dayCounter } from "./rollup-schema.js";
import { addSingleSession } from "./single-sessions.js";
import type { RunSql, SiteRollup } from "./site-rollup.js";

/**
 * Deletes a site's rollup rows, journeys included, from `hour` on (`">="`, with the days that end after it) or
 * before it (`"<"`, with the days that start before it).
 */
async function deleteHours(run: RunSql, siteId: number, cmp: ">=" | "<", hour: number): Promise<void> {
  const dayCut = cmp === ">=" ? `> ?` : `< ?`;
  const dayHour = cmp === ">=" ? hour - DAY_HOURS : hour;
  const values = await run("SELECT dimension, value FROM stats_dimension_values WHERE site_id = ?", [siteId]);
  for (const v of values) {
    await run(
      `DELETE FROM stats_people WHERE site_id = ? AND dimension = ? AND value = ? AND hour ${cmp} ?`,
      [siteId, v.dimension, v.value, hour],
    );
    await run(
      `DELETE FROM stats_people_hour_counts WHERE site_id = ? AND dimension = ? AND value = ? AND hour ${cmp} ?`,
      [siteId, v.dimension, v.value, hour],
    );
    await run(
      `DELETE FROM stats_people_day WHERE site_id = ? AND dimension = ? AND value = ? AND day ${dayCut}`,
      [siteId, v.dimension, v.value, dayHour],
    );
    if (v.dimension === "page" || v.dimension === "event")
      await run(
        `DELETE FROM stats_journeys WHERE site_id = ? AND dimension = ? AND value = ? AND ts ${cmp} ?`,
        [siteId, v.dimension, v.value, hour * HOUR_MS],
      );
  }
  // Keyed by previous hour, so deleted by day through its own index rather than per value.
  await run(`DELETE FROM stats_people_day_returning WHERE site_id = ? AND day ${dayCut}`, [siteId, dayHour]);
  await run(`DELETE FROM stats_sessions WHERE site_id = ? AND hour ${cmp} ?`, [siteId, hour]);
  for (const counter of COUNTERS) {
    await run(`DELETE FROM stats_counters WHERE site_id = ? AND counter = ? AND hour ${cmp} ?`, [
      siteId,
      counter,
      hour,
    ]);
    await run(`DELETE FROM stats_counters WHERE site_id = ? AND counter = ? AND hour ${dayCut}`, [
      siteId,
      dayCounter(counter),
      dayHour,
    ]);
  }
}

/**
 * Forgets a site's rollups from `hour` on (they are rebuilt from raw events by the next pass): sessions that
 * continued into the dropped hours end where the kept hours end again.
 */
export async function rewindSite(run: RunSql, s: SiteRollup, hour: number): Promise<void> {
  if (hour >= s.builtTo) return;
  const cut = await run(
    `SELECT hour, session, pageviews, first_ts, last_ts, entry_path, exit_path, previous_hour FROM stats_sessions
      WHERE site_id = ? AND next_hour >= 0 AND next_hour >= ? AND +hour < ?`,
    [s.id, hour, hour],
  );
  for (const row of cut) {
    await run("UPDATE stats_sessions SET next_hour = -1 WHERE site_id = ? AND hour = ? AND session = ?", [
      s.id,
      num(row.hour),
      String(row.session),
    ]);
    if (num(row.previous_hour) === -1) await addSingleSession(run, s.id, row, 1, hour);
  }
  await deleteHours(run, s.id, ">=", hour);
  await run("UPDATE stats_sites SET built_to = ? WHERE id = ?", [hour, s.id]);
  s.builtTo = hour;
}

/**
 * Drops a site's rollups before `hour` (retention deleted their events) and never answers from before it again;
 * the hour holding the retention cutoff is read raw from then on.
 */
export async function trimSite(run: RunSql, s: SiteRollup, hour: number): Promise<void> {
  if (hour <= s.floor) return;
  await deleteHours(run, s.id, "<", hour);
  s.floor = hour;
  s.builtTo = Math.max(s.builtTo, hour);
  await run("UPDATE stats_sites SET floor = ?, built_to = ? WHERE id = ?", [s.floor, s.builtTo, s.id]);
}

/** Deletes person keys no rollup row refers to any more (after retention), so no id outlives its events. */
export async function forgetUnusedPersons(run: RunSql): Promise<void> {
  await run(
    `DELETE FROM stats_persons WHERE id IN (
       SELECT sp.id FROM stats_persons sp
        WHERE NOT EXISTS (SELECT 1 FROM stats_sites s
                            JOIN stats_values sv ON sv.text = ''
                            JOIN stats_people p ON p.site_id = s.id AND p.dimension = 'all' AND p.value = sv.id
                                               AND p.person_id = sp.id))`,
    [],
  );
}
