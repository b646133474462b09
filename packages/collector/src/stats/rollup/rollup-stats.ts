import { queryEcho, rowLimit } from "../query-echo.js";
import { liveActivity } from "../raw/active-users.js";
import { computeStats } from "../raw/raw-stats.js";
import { num } from "../read-row.js";
import type { RollupDialect } from "../stats-dialect.js";
import type { StatsQuery, StatsResult } from "../types.js";
import { rollupActiveUsers } from "./active-users.js";
import { edgesIn, readEdgeEvents } from "./edge-events.js";
import { rollupFunnels } from "./funnels.js";
import { rollupGoals } from "./goals.js";
import type { JourneySource } from "./journeys.js";
import { countPeople } from "./people.js";
import { attachRollupProps } from "./props.js";
import { textOrder } from "./ranking.js";
import { rollupReferrers } from "./referrers.js";
import { coverOf, mergeIntervals, type RollupReach } from "./rollup-plan.js";
import type { RollupScope } from "./rollup-scope.js";
import { rollupSeries } from "./series.js";
import { rollupSessions } from "./sessions.js";
import {
  agentRows,
  eventRows,
  pageRows,
  rankPagesAndEvents,
  rollupSearchTerms,
  rollupUsers,
  sessionPageRows,
  utmRows,
} from "./tables.js";
import { rollupEventTotals } from "./totals.js";
import { planWindows, WHOLE_RANGE } from "./windows.js";

/** A site's rollup reach and its id in the rollup tables. */
export interface SiteReach extends RollupReach {
  siteId: number;
}

/** Reads a site's rollup reach; undefined before its first rollup pass. */
export async function readReach(db: RollupDialect, site: string): Promise<SiteReach | undefined> {
  const [r] = await db.all("SELECT id, built_to, floor FROM stats_sites WHERE site = ?", [site]);
  if (!r) return undefined;
  const builtTo = num(r.built_to);
  const stale = await db.all("SELECT hour FROM stats_stale WHERE site = ? AND hour < ? ORDER BY hour", [
    site,
    builtTo,
  ]);
  return { siteId: num(r.id), builtTo, floor: num(r.floor), stale: stale.map((s) => num(s.hour)) };
}

/**
 * The stats of `computeStats`, figure for figure identical, answered from the rollups for the whole UTC hours
 * they cover and from raw events for the rest of the range: its partial first and last hours (series buckets and
 * DAU/WAU/MAU windows also take built half hours, so a half-hour zone's buckets need none) and hours not built yet
 * (the open hour, a few settling minutes, stale hours). Each figure has its module; distinct people of every window
 * are counted once (`people.ts`).
 */
export async function computeRollupStats(
  db: RollupDialect,
  q: StatsQuery,
  now: number,
  reach: SiteReach,
): Promise<StatsResult> {
  const cover = coverOf(q.from.getTime(), q.to.getTime(), reach);
  if (!cover) return computeStats(db, q, now);
  const plan = planWindows(q, reach);
  const edges = await readEdgeEvents(db, q.site, mergeIntervals(plan.windows.flatMap((w) => w.raw)));
  const s: RollupScope = {
    db,
    query: q,
    siteId: reach.siteId,
    cover,
    limit: rowLimit(q),
    order: textOrder(db.nullsFirst),
    plan,
    edges,
    mainEdges: edgesIn(edges, plan.main.raw),
  };
  const journeys: JourneySource = { db, site: q.site, siteId: reach.siteId, reach };
  const [eventTotals, sessions, ranked, users, searchTerms, funnels] = await Promise.all([
    rollupEventTotals(s),
    rollupSessions(s),
    rankPagesAndEvents(s),
    rollupUsers(s),
    rollupSearchTerms(s),
    rollupFunnels(journeys, q),
  ]);
  const people = await countPeople(
    s,
    ranked.pages.map(([path]) => path),
    ranked.events.map(([name]) => name),
  );
  const events = eventRows(ranked, people);
  const visitors = people(WHOLE_RANGE, "all").get("") ?? 0;
  const [series, referrers, , live, goals] = await Promise.all([
    rollupSeries(s, people),
    rollupReferrers(s, people, sessions.merged),
    attachRollupProps(s, events),
    liveActivity(db, q.site, now),
    rollupGoals(journeys, q, visitors),
  ]);
  return {
    ...queryEcho(q),
    totals: {
      visitors,
      pageviews: eventTotals.pageviews,
      sessions: sessions.totals.sessions,
      events: eventTotals.events,
      bounceRate: sessions.totals.bounceRate,
      avgSessionSeconds: sessions.totals.avgSessionSeconds,
    },
    series,
    activeUsers: rollupActiveUsers(people),
    topPages: pageRows(ranked, people),
    entryPages: sessionPageRows(sessions.entries),
    exitPages: sessionPageRows(sessions.exits),
    referrers,
    utm: utmRows(s, people),
    browsers: agentRows(s, people, "browser"),
    os: agentRows(s, people, "os"),
    devices: agentRows(s, people, "device"),
    events,
    users,
    searchTerms,
    goals,
    funnels,
    live,
  };
}
