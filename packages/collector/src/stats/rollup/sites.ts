import { DISTINCT_SITES_SQL } from "../distinct-sites-sql.js";
import { num } from "../read-row.js";
import { rewindSite } from "./rewind.js";
import { HOUR_MS } from "./rollup-plan.js";
import type { RunSql, SiteRollup } from "./site-rollup.js";

/** Registers sites that have events but no rollup state yet; returns every site's state. */
export async function registerSites(run: RunSql): Promise<SiteRollup[]> {
  const known = await siteStates(run);
  const names = new Set(known.map((s) => s.site));
  let nextId = known.reduce((m, s) => Math.max(m, s.id), 0) + 1;
  for (const row of await run(DISTINCT_SITES_SQL, [])) {
    const site = String(row.site);
    if (names.has(site)) continue;
    const first = await run("SELECT MIN(ts) AS ts FROM events WHERE site = ?", [site]);
    const start = Math.floor(num(first[0]?.ts) / HOUR_MS);
    await run("INSERT INTO stats_sites (site, id, built_to, floor) VALUES (?, ?, ?, 0)", [
      site,
      nextId,
      start,
    ]);
    known.push({ site, id: nextId, builtTo: start, floor: 0 });
    nextId++;
  }
  return known;
}

export async function siteStates(run: RunSql, site?: string): Promise<SiteRollup[]> {
  const rows = await run(
    `SELECT site, id, built_to, floor FROM stats_sites${site === undefined ? "" : " WHERE site = ?"}`,
    site === undefined ? [] : [site],
  );
  return rows.map((r) => ({
    site: String(r.site),
    id: num(r.id),
    builtTo: num(r.built_to),
    floor: num(r.floor),
  }));
}

/** One step of a rewind: the site's built hours end at `before`, then at `after`; it goes on down to `target`. */
export interface RewindStep {
  target: number;
  before: number;
  after: number;
}

/**
 * Folds in late inserts and rebuild requests, one step of at most `hours` hours with events at a time: a site's
 * earliest stale hour rewinds its rollups to that hour, from the end. Each step is a rewind, so consistent; its
 * markers stay until the last step (`after === target`), so any pass (of this collector or another) goes on with
 * it. Then markers at or after it are cleared (their events are committed, so the rebuild reads them); earlier
 * ones arriving meanwhile stay. Undefined when no hour is stale.
 */
export async function applyStaleMarks(
  run: RunSql,
  s: SiteRollup,
  hours: number,
): Promise<RewindStep | undefined> {
  const rows = await run("SELECT MIN(hour) AS h FROM stats_stale WHERE site = ?", [s.site]);
  const h = rows[0]?.h;
  if (h === null || h === undefined) return undefined;
  const hour = num(h);
  const before = s.builtTo;
  const target = Math.min(Math.max(hour, s.floor), before);
  // Hours without events hold no rows: a step covers `hours` hours back from the last one with events.
  const [last] = await run("SELECT MAX(ts) AS ts FROM events WHERE site = ? AND ts < ?", [
    s.site,
    before * HOUR_MS,
  ]);
  const lastHour = last?.ts === null || last?.ts === undefined ? target : Math.floor(num(last.ts) / HOUR_MS);
  const step = Math.max(target, Math.min(before, lastHour + 1 - hours));
  await rewindSite(run, s, step);
  if (step === target) await run("DELETE FROM stats_stale WHERE site = ? AND hour >= ?", [s.site, hour]);
  return { target, before, after: s.builtTo };
}

/**
 * The next hours `[start, end)` to build for a site: from the first event at or after `builtTo` (empty hours are
 * skipped), at most `hours` hours, never past `settled`. Undefined when done.
 */
export async function nextChunk(
  run: RunSql,
  s: SiteRollup,
  settled: number,
  hours: number,
): Promise<[number, number] | undefined> {
  if (s.builtTo >= settled) return undefined;
  const first = await run("SELECT MIN(ts) AS ts FROM events WHERE site = ? AND ts >= ?", [
    s.site,
    s.builtTo * HOUR_MS,
  ]);
  const ts = first[0]?.ts;
  const start = ts === null || ts === undefined ? settled : Math.floor(num(ts) / HOUR_MS);
  if (start >= settled) return [settled, settled];
  return [start, Math.min(settled, start + hours)];
}
