import type {
  EventRow,
  NamedCount,
  PageRow,
  SearchTermRow,
  SessionPageRow,
  UserRow,
  UtmRow,
} from "../types.js";
import { rankCounter, readCounter } from "./counters.js";
import { isCustom } from "./edge-events.js";
import type { PeopleOf } from "./people.js";
import { bump, compareText, shown, top, utmOrder } from "./ranking.js";
import type { RollupScope } from "./rollup-scope.js";
import { WHOLE_RANGE } from "./windows.js";

/** Pageviews per path and events per name, ranked: their visitors are counted for these rows only. */
export interface RankedCounts {
  pages: Array<[string, number]>;
  events: Array<[string, number]>;
}

/** Top paths by pageviews and top custom events by count: the covered counters plus the raw parts. */
export async function rankPagesAndEvents(s: RollupScope): Promise<RankedCounts> {
  const pageDeltas = new Map<string, number>();
  const eventDeltas = new Map<string, number>();
  for (const e of s.mainEdges) {
    if (e.type === "pageview") bump(pageDeltas, e.path, 1);
    if (isCustom(e.type)) bump(eventDeltas, e.name, 1);
  }
  const [pages, events] = await Promise.all([
    rankCounter(s, "pages", "key1", pageDeltas),
    rankCounter(s, "events", "key1", eventDeltas),
  ]);
  return { pages, events };
}

export function pageRows(ranked: RankedCounts, people: PeopleOf): PageRow[] {
  const visitors = people(WHOLE_RANGE, "page");
  return ranked.pages.map(([path, n]) => ({
    path: shown(path),
    pageviews: n,
    visitors: visitors.get(path) ?? 0,
  }));
}

/** Custom events without their properties (see `props.ts`). */
export function eventRows(ranked: RankedCounts, people: PeopleOf): EventRow[] {
  const visitors = people(WHOLE_RANGE, "event");
  return ranked.events.map(([name, count]) => ({
    name: shown(name),
    count,
    visitors: visitors.get(name) ?? 0,
    props: [],
  }));
}

export function sessionPageRows(sessions: Array<[string, number]>): SessionPageRow[] {
  return sessions.map(([path, n]) => ({ path: shown(path), sessions: n }));
}

export function utmRows(s: RollupScope, people: PeopleOf): UtmRow[] {
  return top(people(WHOLE_RANGE, "utm"), s.limit, utmOrder(s.db.nullsFirst)).map(([key, visitors]) => {
    const [source, medium, campaign] = JSON.parse(key) as [string, string | null, string | null];
    return { source, medium, campaign, visitors };
  });
}

export function agentRows(
  s: RollupScope,
  people: PeopleOf,
  dimension: "browser" | "os" | "device",
): NamedCount[] {
  return top(people(WHOLE_RANGE, dimension), s.limit, s.order).map(([name, visitors]) => ({
    name,
    visitors,
  }));
}

/** Signed-in users by events: the covered counters plus the raw parts. */
export async function rollupUsers(s: RollupScope): Promise<UserRow[]> {
  const users = new Map<string, { events: number; pageviews: number; last: number }>();
  for (const r of await readCounter(s.db, s.siteId, s.cover, "users"))
    users.set(r.key1, { events: r.count1, pageviews: r.count2, last: r.measureMax });
  for (const e of s.mainEdges) {
    if (e.userId === null) continue;
    const u = users.get(e.userId) ?? { events: 0, pageviews: 0, last: Number.NEGATIVE_INFINITY };
    u.events++;
    if (e.type === "pageview") u.pageviews++;
    u.last = Math.max(u.last, e.ts);
    users.set(e.userId, u);
  }
  return [...users]
    .sort((a, b) => b[1].events - a[1].events || compareText(a[0], b[0]))
    .slice(0, s.limit)
    .map(([userId, u]) => ({
      userId,
      events: u.events,
      pageviews: u.pageviews,
      lastSeen: new Date(u.last).toISOString(),
    }));
}

/** Terms of the events named in `searchEvents`: the covered counters plus the raw parts. */
export async function rollupSearchTerms(s: RollupScope): Promise<SearchTermRow[]> {
  const names = s.query.searchEvents;
  if (names.length === 0) return [];
  const deltas = new Map<string, number>();
  const searchSet = new Set(names);
  for (const e of s.mainEdges)
    if (isCustom(e.type) && searchSet.has(e.name) && e.term !== null && e.term !== "")
      bump(deltas, e.term, 1);
  const terms = await rankCounter(
    s,
    "searchTerms",
    "key2",
    deltas,
    ` AND key1 IN (${names.map(() => "?").join(", ")})`,
    names,
  );
  return terms.map(([term, count]) => ({ term, count }));
}
