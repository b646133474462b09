/**
 * The dashboard's figures computed straight from the generated events in plain TypeScript, following the
 * documented meaning of each figure — never through the store's SQL — so the e2e test can hold the page to them.
 */
import type { StatsResult } from "../../packages/collector/src/stats/types.js";
import type { StoredEvent } from "../../packages/collector/src/store/types.js";

const DAY = 86_400_000;

export interface ExpectedQuery {
  site: string;
  /** UTC only: the e2e runs in UTC so day buckets are plain 24-hour steps. */
  from: number;
  to: number;
  limit: number;
  searchEvents: string[];
  now: number;
}

export type Row = (string | number | null)[];

export interface Expected {
  totals: StatsResult["totals"];
  activeUsers: StatsResult["activeUsers"];
  live: StatsResult["live"];
  /** Day buckets: [YYYY-MM-DD, visitors, pageviews]. */
  series: Row[];
  tables: Record<string, Row[]>;
}

const person = (e: StoredEvent) => e.userId ?? e.visitorId;

/** A goal or funnel step: its config text and, written separately, what it means. */
interface Step {
  text: string;
  test: (e: StoredEvent) => boolean;
}
const customNamed = (name: string, e: StoredEvent) =>
  (e.type === "event" || e.type === "server") && e.name === name;
const pageview = (e: StoredEvent) => e.type === "pageview";

export const E2E_GOALS: Record<string, Step> = {
  signup: { text: "event:signup", test: (e) => customNamed("signup", e) },
  pro_signup: {
    text: "event:signup plan=pro",
    test: (e) => customNamed("signup", e) && e.props?.plan === "pro",
  },
  pricing: { text: "page:/pricing*", test: (e) => pageview(e) && (e.path ?? "").startsWith("/pricing") },
  docs_pages: { text: "page:/docs/*", test: (e) => pageview(e) && (e.path ?? "").startsWith("/docs/") },
};

export const E2E_FUNNELS: Record<string, Step[]> = {
  docs_to_signup: [
    { text: "page:/", test: (e) => pageview(e) && e.path === "/" },
    { text: "page:/docs*", test: (e) => pageview(e) && (e.path ?? "").startsWith("/docs") },
    { text: "event:download", test: (e) => customNamed("download", e) },
    { text: "event:signup", test: (e) => customNamed("signup", e) },
  ],
  pricing_twice: [E2E_GOALS.pricing as Step, E2E_GOALS.pricing as Step],
};

const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

function changeText(now: number, before: number): string {
  if (before === 0) return now === 0 ? "no change" : "new";
  const points = ((now - before) / before) * 100;
  if (Math.abs(points) < 0.05) return "no change";
  return `${points > 0 ? "▲" : "▼"} ${Math.abs(points).toFixed(1)}%`;
}

/** Goal rows as the page shows them: converted people, rate, the period before and the change. */
function goalRows(site: StoredEvent[], from: number, to: number, visitors: number): Row[] {
  return Object.entries(E2E_GOALS).map(([name, goal]) => {
    const people = (a: number, b: number) =>
      new Set(site.filter((e) => e.ts >= a && e.ts < b && goal.test(e)).map(person)).size;
    const now = people(from, to);
    const before = people(from - (to - from), from);
    return [
      name,
      goal.text,
      now,
      percent(visitors === 0 ? 0 : now / visitors),
      before,
      changeText(now, before),
    ];
  });
}

/** Whether `steps` happen in order in `list`, each at a later event than the one before. */
function inOrder(list: StoredEvent[], steps: Step[]): boolean {
  if (steps.length === 0) return true;
  const [first, ...rest] = steps as [Step, ...Step[]];
  return list.some((e, i) => first.test(e) && inOrder(list.slice(i + 1), rest));
}

/** Funnel rows: per step the people of a session (split by person) doing steps 1…k in order. */
function funnelRows(inRange: StoredEvent[]): Row[] {
  const journeys = new Map<string, StoredEvent[]>();
  for (const e of inRange) {
    const key = `${e.sessionId} ${person(e)}`;
    journeys.set(key, [...(journeys.get(key) ?? []), e]);
  }
  return Object.entries(E2E_FUNNELS).flatMap(([name, steps]) => {
    const counts = steps.map((_, k) => {
      const people = new Set<string>();
      for (const list of journeys.values())
        if (inOrder(list, steps.slice(0, k + 1))) people.add(person(list[0] as StoredEvent));
      return people.size;
    });
    return steps.map((step, k): Row => {
      const before = k === 0 ? (counts[0] as number) : (counts[k - 1] as number);
      const n = counts[k] as number;
      const first = counts[0] as number;
      return [
        name,
        k + 1,
        step.text,
        n,
        percent(k === 0 ? 1 : before === 0 ? 0 : n / before),
        percent(first === 0 ? 0 : n / first),
        k === 0 ? 0 : before - n,
      ];
    });
  });
}
const isCustom = (e: StoredEvent) => e.type === "event" || e.type === "server";
/** Byte order, like SQLite's BINARY collation (all seeded strings are ASCII). */
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Groups rows by key, collecting count and distinct people. */
function groupPeople<K>(events: StoredEvent[], key: (e: StoredEvent) => K) {
  const groups = new Map<K, { count: number; people: Set<string> }>();
  for (const e of events) {
    const k = key(e);
    let g = groups.get(k);
    if (!g) {
      g = { count: 0, people: new Set() };
      groups.set(k, g);
    }
    g.count++;
    g.people.add(person(e));
  }
  return groups;
}

function distinctPeople(events: StoredEvent[]): number {
  return new Set(events.map(person)).size;
}

export function computeExpected(all: StoredEvent[], q: ExpectedQuery): Expected {
  const site = all.filter((e) => e.site === q.site);
  const inRange = site.filter((e) => e.ts >= q.from && e.ts < q.to);
  const pageviews = inRange.filter((e) => e.type === "pageview");

  // Sessions: events grouped by session id, in insertion order (ts strictly grows within a seeded session).
  const sessions = new Map<string, StoredEvent[]>();
  for (const e of inRange) {
    const list = sessions.get(e.sessionId) ?? [];
    list.push(e);
    sessions.set(e.sessionId, list);
  }
  let bounces = 0;
  let withPageviews = 0;
  let spanTotal = 0;
  const entries: StoredEvent[] = [];
  const exits: StoredEvent[] = [];
  for (const list of sessions.values()) {
    const pvs = list.filter((e) => e.type === "pageview");
    if (pvs.length >= 1) withPageviews++;
    if (pvs.length === 1) bounces++;
    const times = list.map((e) => e.ts);
    spanTotal += Math.max(...times) - Math.min(...times);
    const first = pvs.reduce<StoredEvent | undefined>((a, e) => (!a || e.ts < a.ts ? e : a), undefined);
    const last = pvs.reduce<StoredEvent | undefined>((a, e) => (!a || e.ts > a.ts ? e : a), undefined);
    if (first) entries.push(first);
    if (last) exits.push(last);
  }

  const top = <T extends Row>(rows: T[], compare: (a: T, b: T) => number) =>
    rows.sort(compare).slice(0, q.limit);

  const pages = top(
    [...groupPeople(pageviews, (e) => e.path ?? "")].map(([path, g]): Row => [path, g.people.size, g.count]),
    (a, b) => (b[2] as number) - (a[2] as number) || byText(a[0] as string, b[0] as string),
  );
  const sessionPages = (list: StoredEvent[]) => {
    const counts = new Map<string, number>();
    for (const e of list) counts.set(e.path ?? "", (counts.get(e.path ?? "") ?? 0) + 1);
    return top(
      [...counts].map(([path, n]): Row => [path, n]),
      (a, b) => (b[1] as number) - (a[1] as number) || byText(a[0] as string, b[0] as string),
    );
  };
  const peopleBy = (list: StoredEvent[], key: (e: StoredEvent) => string) =>
    top(
      [...groupPeople(list, key)].map(([name, g]): Row => [name, g.people.size]),
      (a, b) => (b[1] as number) - (a[1] as number) || byText(a[0] as string, b[0] as string),
    );

  const utm = top(
    [
      ...groupPeople(
        inRange.filter((e) => e.utmSource !== null),
        (e) => JSON.stringify([e.utmSource, e.utmMedium, e.utmCampaign]),
      ),
    ].map(([key, g]): Row => [...(JSON.parse(key) as Row), g.people.size]),
    (a, b) => (b[3] as number) - (a[3] as number) || byText(a[0] as string, b[0] as string),
  );

  const custom = inRange.filter(isCustom);
  const events = top(
    [...groupPeople(custom, (e) => e.name ?? "")].map(([name, g]): Row => [name, g.count, g.people.size]),
    (a, b) => (b[1] as number) - (a[1] as number) || byText(a[0] as string, b[0] as string),
  );
  const eventProps: Row[] = [];
  for (const row of events) {
    const name = String(row[0]);
    const counts = new Map<string, number>();
    for (const e of custom) {
      if (e.name !== name || !e.props) continue;
      for (const [k, v] of Object.entries(e.props)) {
        const key = JSON.stringify([k, String(v)]);
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
    const rows = [...counts].map(([key, n]): Row => [name, ...(JSON.parse(key) as string[]), n]);
    rows.sort(
      (a, b) =>
        (b[3] as number) - (a[3] as number) ||
        byText(a[1] as string, b[1] as string) ||
        byText(a[2] as string, b[2] as string),
    );
    eventProps.push(...rows.slice(0, q.limit));
  }

  const userGroups = new Map<string, { events: number; pageviews: number; last: number }>();
  for (const e of inRange) {
    if (e.userId === null) continue;
    const g = userGroups.get(e.userId) ?? { events: 0, pageviews: 0, last: 0 };
    g.events++;
    if (e.type === "pageview") g.pageviews++;
    g.last = Math.max(g.last, e.ts);
    userGroups.set(e.userId, g);
  }
  const users = top(
    [...userGroups].map(([id, g]): Row => [id, g.events, g.pageviews, new Date(g.last).toISOString()]),
    (a, b) => (b[1] as number) - (a[1] as number) || byText(a[0] as string, b[0] as string),
  );

  const termCounts = new Map<string, number>();
  for (const e of custom) {
    if (!q.searchEvents.includes(e.name ?? "")) continue;
    const raw = e.props?.query ?? e.props?.q ?? e.props?.term;
    const term = raw === undefined || raw === null ? "" : String(raw).trim().toLowerCase();
    if (term) termCounts.set(term, (termCounts.get(term) ?? 0) + 1);
  }
  const terms = top(
    [...termCounts].map(([term, n]): Row => [term, n]),
    (a, b) => (b[1] as number) - (a[1] as number) || byText(a[0] as string, b[0] as string),
  );

  const series: Row[] = [];
  for (let start = q.from; start < q.to; start += DAY) {
    const bucket = inRange.filter((e) => e.ts >= start && e.ts < start + DAY);
    series.push([
      new Date(start).toISOString().slice(0, 10),
      distinctPeople(bucket),
      bucket.filter((e) => e.type === "pageview").length,
    ]);
  }

  const lastDay = Math.floor((q.to - 1) / DAY) * DAY;
  const active = (start: number) => distinctPeople(site.filter((e) => e.ts >= start && e.ts < q.to));
  const live = site.filter((e) => e.ts >= q.now - 30 * 60_000 && e.ts <= q.now);
  const browserSent = inRange.filter((e) => e.type !== "server");

  return {
    totals: {
      visitors: distinctPeople(inRange),
      pageviews: pageviews.length,
      sessions: sessions.size,
      events: custom.length,
      bounceRate: withPageviews === 0 ? 0 : bounces / withPageviews,
      avgSessionSeconds: sessions.size === 0 ? 0 : spanTotal / sessions.size / 1000,
    },
    activeUsers: { dau: active(lastDay), wau: active(lastDay - 6 * DAY), mau: active(lastDay - 29 * DAY) },
    live: { visitors: distinctPeople(live), pageviews: live.filter((e) => e.type === "pageview").length },
    series,
    tables: {
      goals: goalRows(site, q.from, q.to, distinctPeople(inRange)),
      funnels: funnelRows(inRange),
      "top-pages": pages,
      "entry-pages": sessionPages(entries),
      "exit-pages": sessionPages(exits),
      referrers: peopleBy(
        entries.map((e) => e),
        (e) => e.referrerSource ?? "Direct / None",
      ),
      utm,
      browsers: peopleBy(browserSent, (e) => e.browser ?? "Unknown"),
      os: peopleBy(browserSent, (e) => e.os ?? "Unknown"),
      devices: peopleBy(browserSent, (e) => e.device ?? "Unknown"),
      events,
      "event-props": eventProps,
      users,
      "search-terms": terms,
    },
  };
}
