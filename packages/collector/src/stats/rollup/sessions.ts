import type { SessionTotals } from "../raw/sessions.js";
import { num } from "../read-row.js";
import { rankCounter, readCounter } from "./counters.js";
import { bump } from "./ranking.js";
import type { RollupScope } from "./rollup-scope.js";
import { type MergedSessions, mergeSessions } from "./session-merge.js";

export interface RollupSessions {
  totals: SessionTotals;
  /** Top entry and exit paths by sessions (rollup text: NULL paths as `NULL_TEXT`). */
  entries: Array<[string, number]>;
  exits: Array<[string, number]>;
  merged: MergedSessions;
}

/**
 * Session figures: single-hour sessions from the counters, the others merged from their rows and raw parts
 * (single-hour rows of sessions that turn out to continue in the raw parts leave the counters' sums, as
 * deltas to the ranked entry and exit counters).
 */
export async function rollupSessions(s: RollupScope): Promise<RollupSessions> {
  const [[singles], [bounceRow], merged] = await Promise.all([
    readCounter(s.db, s.siteId, s.cover, "singleSessions"),
    readCounter(s.db, s.siteId, s.cover, "singleBounces"),
    mergeSessions(s.db, s.siteId, s.cover, s.mainEdges),
  ]);
  let sessions = num(singles?.count1) + merged.sessions;
  let withPageviews = num(singles?.count2) + merged.withPageviews;
  let lengthMs = num(singles?.measureSum) + merged.lengthMs;
  let bounces = num(bounceRow?.count1) + merged.bounces;
  const entries = new Map<string, number>();
  const exits = new Map<string, number>();
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
  const [entryRanks, exitRanks] = await Promise.all([
    rankCounter(s, "singleEntries", "key1", entries),
    rankCounter(s, "singleExits", "key1", exits),
  ]);
  return {
    totals: {
      sessions,
      bounceRate: withPageviews === 0 ? 0 : bounces / withPageviews,
      avgSessionSeconds: sessions === 0 ? 0 : lengthMs / sessions / 1000,
    },
    entries: entryRanks,
    exits: exitRanks,
    merged,
  };
}
