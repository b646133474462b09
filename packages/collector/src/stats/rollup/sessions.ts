import type { SessionTotals } from "../raw/sessions.js";
import { num } from "../read-row.js";
import { countsBy, readCounter } from "./counters.js";
import { bump } from "./ranking.js";
import type { RollupScope } from "./rollup-scope.js";
import { type MergedSessions, mergeSessions } from "./session-merge.js";

export interface RollupSessions {
  totals: SessionTotals;
  /** Sessions per entry and exit path (rollup text: NULL paths as `NULL_TEXT`). */
  entries: Map<string, number>;
  exits: Map<string, number>;
  merged: MergedSessions;
}

/**
 * Session figures: single-hour sessions from the counters, the others merged from their rows and raw parts
 * (single-hour rows of sessions that turn out to continue in the raw parts leave the counters' sums).
 */
export async function rollupSessions(s: RollupScope): Promise<RollupSessions> {
  const [[singles], [bounceRow], entryRows, exitRows, merged] = await Promise.all([
    readCounter(s.db, s.siteId, s.cover, "singleSessions"),
    readCounter(s.db, s.siteId, s.cover, "singleBounces"),
    readCounter(s.db, s.siteId, s.cover, "singleEntries"),
    readCounter(s.db, s.siteId, s.cover, "singleExits"),
    mergeSessions(s.db, s.siteId, s.cover, s.mainEdges),
  ]);
  let sessions = num(singles?.count1) + merged.sessions;
  let withPageviews = num(singles?.count2) + merged.withPageviews;
  let lengthMs = num(singles?.measureSum) + merged.lengthMs;
  let bounces = num(bounceRow?.count1) + merged.bounces;
  const entries = countsBy(entryRows, "key1");
  const exits = countsBy(exitRows, "key1");
  for (const single of merged.singlesToDrop) {
    sessions--;
    if (single.pageviews >= 1) withPageviews--;
    if (single.pageviews === 1) bounces--;
    lengthMs -= single.last - single.first;
    if (single.pageviews < 1) continue;
    bump(entries, single.entryPath, -1);
    bump(exits, single.exitPath, -1);
  }
  for (const m of merged.merged) {
    if (m.pageviews < 1) continue;
    bump(entries, m.entryPath, 1);
    bump(exits, m.exitPath, 1);
  }
  return {
    totals: {
      sessions,
      bounceRate: withPageviews === 0 ? 0 : bounces / withPageviews,
      avgSessionSeconds: sessions === 0 ? 0 : lengthMs / sessions / 1000,
    },
    entries,
    exits,
    merged,
  };
}
