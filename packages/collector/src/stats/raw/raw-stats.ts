import { queryEcho, rowLimit } from "../query-echo.js";
import type { StatsDialect } from "../stats-dialect.js";
import type { StatsQuery, StatsResult } from "../types.js";
import { liveActivity, rawActiveUsers } from "./active-users.js";
import { rawFunnels } from "./funnels.js";
import { rawGoals } from "./goals.js";
import { attachRawProps } from "./props.js";
import { rawScope } from "./raw-scope.js";
import { rawSeries } from "./series.js";
import { rawSessionPages, rawSessionTotals } from "./sessions.js";
import {
  rawAgentCounts,
  rawEvents,
  rawReferrers,
  rawSearchTerms,
  rawTopPages,
  rawUsers,
  rawUtm,
} from "./tables.js";
import { rawTotals } from "./totals.js";

/**
 * Every figure of `StatsResult` from raw events, one query per figure run in the store. Ranges are `[from, to)`
 * on the receive time `ts` (epoch ms) through the `(site, ts)` index; time zone arithmetic happens here.
 */
export async function computeStats(db: StatsDialect, q: StatsQuery, now: number): Promise<StatsResult> {
  const to = q.to.getTime();
  const s = rawScope(db, q.site, q.from.getTime(), to, rowLimit(q));
  const [
    totals,
    sessionTotals,
    series,
    activeUsers,
    topPages,
    entryPages,
    exitPages,
    referrers,
    utm,
    browsers,
    os,
    devices,
    events,
    users,
    searchTerms,
    live,
    funnels,
  ] = await Promise.all([
    rawTotals(s),
    rawSessionTotals(s),
    rawSeries(s, q.timezone, q.interval),
    rawActiveUsers(db, q.site, to, q.timezone),
    rawTopPages(s),
    rawSessionPages(s, "entry"),
    rawSessionPages(s, "exit"),
    rawReferrers(s),
    rawUtm(s),
    rawAgentCounts(s, "browser"),
    rawAgentCounts(s, "os"),
    rawAgentCounts(s, "device"),
    rawEvents(s),
    rawUsers(s),
    rawSearchTerms(s, q.searchEvents),
    liveActivity(db, q.site, now),
    rawFunnels(db, q),
  ]);
  const [goals] = await Promise.all([rawGoals(db, q, totals.visitors), attachRawProps(s, events)]);
  return {
    ...queryEcho(q),
    totals: {
      visitors: totals.visitors,
      pageviews: totals.pageviews,
      sessions: sessionTotals.sessions,
      events: totals.events,
      bounceRate: sessionTotals.bounceRate,
      avgSessionSeconds: sessionTotals.avgSessionSeconds,
    },
    series,
    activeUsers,
    topPages,
    entryPages,
    exitPages,
    referrers,
    utm,
    browsers,
    os,
    devices,
    events,
    users,
    searchTerms,
    goals,
    funnels,
    live,
  };
}
