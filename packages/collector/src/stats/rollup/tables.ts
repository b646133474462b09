import type {
  EventRow,
  NamedCount,
  PageRow,
  SearchTermRow,
  SessionPageRow,
  UserRow,
  UtmRow,
} from "../types.js";
import { countsBy, readCounter } from "./counters.js";
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
  const [pageRows, eventRows] = await Promise.all([
    readCounter(s.db, s.siteId, s.cover, "pages"),
    readCounter(s.db, s.siteId, s.cover, "events"),
  ]);
  const pages = countsBy(pageRows, "key1");
  const events = countsBy(eventRows, "key1");
  for (const e of s.mainEdges) {
    if (e.type === "pageview") bump(pages, e.path, 1);
    if (isCustom(e.type)) bump(events, e.name, 1);
  }
  return { pages: top(pages, s.limit, s.order), events: top(events, s.limit, s.order) };
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

export function sessionPageRows(s: RollupScope, sessions: Map<string, number>): SessionPageRow[] {
  return top(sessions, s.limit, s.order).map(([path, n]) => ({ path: shown(path), sessions: n }));
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
  const rows =
    names.length > 0
      ? await readCounter(
          s.db,
          s.siteId,
          s.cover,
          "searchTerms",
          ` AND key1 IN (${names.map(() => "?").join(", ")})`,
          names,
        )
      : [];
  const terms = countsBy(rows, "key2");
  const searchSet = new Set(names);
  for (const e of s.mainEdges)
    if (isCustom(e.type) && searchSet.has(e.name) && e.term !== null && e.term !== "") bump(terms, e.term, 1);
  return top(terms, s.limit, s.order).map(([term, count]) => ({ term, count }));
}
