import { str } from "../read-row.js";
import type { NamedCount } from "../types.js";
import type { PeopleOf } from "./people.js";
import { bump, top } from "./ranking.js";
import type { RollupScope } from "./rollup-scope.js";
import type { MergedSessions } from "./session-merge.js";
import { WHOLE_RANGE } from "./windows.js";

/** Distinct people per referrer of a session's first pageview: covered entry people, corrected for merged sessions. */
export async function rollupReferrers(
  s: RollupScope,
  people: PeopleOf,
  merged: MergedSessions,
): Promise<NamedCount[]> {
  const referrers = people(WHOLE_RANGE, "referrer");
  for (const [referrer, delta] of await referrerCorrections(s, merged)) bump(referrers, referrer, delta);
  return top(referrers, s.limit, s.order).map(([name, visitors]) => ({ name, visitors }));
}

/**
 * Per referrer, what to add to the covered entry people (`referrer` rows of the covered run) so they count the
 * merged sessions' true entries instead of their per-hour first pageviews.
 */
async function referrerCorrections(s: RollupScope, merged: MergedSessions): Promise<Map<string, number>> {
  const pairKey = (referrer: string, person: string) => `${referrer}\u0000${person}`;
  const covered = new Map(
    merged.coveredEntries.map(([referrer, person]) => [pairKey(referrer, person), [referrer, person]]),
  );
  const truths = new Map<string, [string, string]>();
  for (const m of merged.merged)
    if (m.pageviews > 0)
      truths.set(pairKey(m.entryReferrer, m.entryPerson), [m.entryReferrer, m.entryPerson]);
  const all = new Map([...covered, ...truths]);
  const delta = new Map<string, number>();
  if (all.size === 0) return delta;
  // Pairs some other (single-hour, untouched) session in the covered run enters with.
  const pairsCte = s.db.rowsCte(
    "z",
    [
      ["referrer", "text"],
      ["person", "text"],
    ],
    [...all.values()],
  );
  const sessionsCte = s.db.rowsCte(
    "x",
    [["session", "text"]],
    merged.merged.map((m) => [m.session]),
  );
  const rows = await s.db.all(
    `WITH ${pairsCte.sql}, ${sessionsCte.sql}
     SELECT z.referrer AS referrer, z.person AS person FROM z
      WHERE EXISTS (SELECT 1 FROM stats_sessions ss ${s.db.indexedBy("stats_sessions_entry")} WHERE ss.site_id = ?
                       AND ss.entry_person_id = (SELECT sp.id FROM stats_persons sp WHERE sp.key = z.person)
                       AND ss.hour >= ? AND ss.hour < ? AND ss.entry_referrer = z.referrer AND ss.pageviews > 0
                       AND ss.previous_hour = -1 AND ss.next_hour = -1
                       AND ss.session NOT IN (SELECT session FROM x))`,
    [...pairsCte.params, ...sessionsCte.params, s.siteId, s.cover.startHour, s.cover.endHour],
  );
  const plain = new Set(rows.map((r) => pairKey(str(r.referrer), str(r.person))));
  for (const [k, [referrer]] of covered) if (!plain.has(k) && !truths.has(k)) bump(delta, referrer, -1);
  for (const [k, [referrer]] of truths) if (!plain.has(k) && !covered.has(k)) bump(delta, referrer, 1);
  return delta;
}
