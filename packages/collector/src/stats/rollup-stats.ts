import {
  type CountKind,
  DIRECT,
  dayKind,
  dimensionSql,
  NULL_TEXT,
  type RollupDialect,
  termSql,
} from "./rollup-build.js";
import {
  type Cover,
  coverOf,
  HOUR_MS,
  inParts,
  mergeIntervals,
  type RollupReach,
  rawParts,
  splitCover,
} from "./rollup-plan.js";
import { computeStats, queryEcho } from "./sql-stats.js";
import { addLocalDays, formatZoned, timeBuckets } from "./time-zone.js";
import type { EventPropRow, EventRow, NamedCount, StatsQuery, StatsResult } from "./types.js";

/**
 * The stats of `computeStats`, figure for figure identical, answered from the rollups (`rollup-build.ts`) for
 * the whole UTC hours they cover and from raw events for the rest of the range: its partial first and last
 * hours, hours not built yet (the open hour, a few settling minutes, stale hours) and, in half-hour zones, the
 * hours a bucket boundary cuts. Distinct people are the rollup rows whose previous hour lies before the covered
 * run, plus the raw-part people the covered run does not already hold (one indexed probe each).
 */

/** A site's rollup reach and its id in the rollup tables. */
export interface SiteReach extends RollupReach {
  siteId: number;
}

type Row = Record<string, unknown>;
const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const str = (v: unknown): string => (v === null || v === undefined ? "" : String(v));

/** Byte order of the UTF-8 text, as SQLite's BINARY collation and PostgreSQL's C collation sort. */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** Text order with rollup NULLs (`NULL_TEXT`) placed where the database's `ORDER BY` puts NULL. */
export function textOrder(nullsFirst: boolean): (a: string, b: string) => number {
  return (a, b) => {
    if (a === b) return 0;
    if (a === NULL_TEXT) return nullsFirst ? -1 : 1;
    if (b === NULL_TEXT) return nullsFirst ? 1 : -1;
    return compareText(a, b);
  };
}

/** A rollup text as the raw queries report it (NULL reads as ""). */
const shown = (v: string) => (v === NULL_TEXT ? "" : v);

/** Reads a site's rollup reach; undefined before its first rollup pass. */
export async function readReach(db: RollupDialect, site: string): Promise<SiteReach | undefined> {
  const rows = await db.all("SELECT id, built_to, floor FROM stats_sites WHERE site = ?", [site]);
  const r = rows[0];
  if (!r) return undefined;
  const builtTo = num(r.built_to);
  const stale = await db.all("SELECT hour FROM stats_stale WHERE site = ? AND hour < ? ORDER BY hour", [
    site,
    builtTo,
  ]);
  return { siteId: num(r.id), builtTo, floor: num(r.floor), stale: stale.map((s) => num(s.hour)) };
}

/** Counter sums of one key over the covered run (`sx` sum of `x`, `mx` its largest value). */
interface Counted {
  k1: string;
  k2: string;
  k3: string;
  n: number;
  m: number;
  sx: number;
  mx: number;
}

interface Window {
  /** 0 the whole range, 1–3 day/week/month, 10+ series buckets. */
  id: number;
  start: number;
  end: number;
  cover: Cover | undefined;
  raw: Array<[number, number]>;
  dims: string[];
}

/** One raw event of the uncovered parts, with the figures' derived keys. */
interface EdgeEvent {
  id: number;
  ts: number;
  type: string;
  name: string;
  path: string;
  ref: string;
  session: string;
  userId: string | null;
  person: string;
  browser: string;
  os: string;
  device: string;
  utmKey: string | null;
  term: string | null;
}

/** A session's share of one hour (rollup row) or of a raw part, merged in time order. */
interface SessionPiece {
  start: number;
  pv: number;
  first: number;
  last: number;
  entryPath: string;
  entryRef: string;
  entryPerson: string;
  exitPath: string;
}

const DIM_OF: Record<string, (e: EdgeEvent) => string | undefined> = {
  a: () => "",
  b: (e) => (e.type !== "server" ? e.browser : undefined),
  o: (e) => (e.type !== "server" ? e.os : undefined),
  d: (e) => (e.type !== "server" ? e.device : undefined),
  p: (e) => (e.type === "pageview" ? e.path : undefined),
  n: (e) => (e.type === "event" || e.type === "server" ? e.name : undefined),
  u: (e) => e.utmKey ?? undefined,
};

const isCustom = (type: string) => type === "event" || type === "server";

export async function computeRollupStats(
  db: RollupDialect,
  q: StatsQuery,
  now: number,
  reach: SiteReach,
): Promise<StatsResult> {
  const from = q.from.getTime();
  const to = q.to.getTime();
  const tz = q.timezone;
  const limit = Math.max(1, Math.min(100, Math.floor(q.limit)));
  const mainCover = coverOf(from, to, reach);
  if (!mainCover) return computeStats(db, q, now);

  const buckets = timeBuckets(tz, from, to, q.interval);
  const windows: Window[] = [];
  // Windows with the same bounds (a 30-day range and its month of active users) are computed once.
  const alias = new Map<number, number>();
  const addWindow = (id: number, start: number, end: number, dims: string[]) => {
    const same = windows.find((w) => w.start === start && w.end === end);
    if (same) {
      alias.set(id, same.id);
      for (const dim of dims) if (!same.dims.includes(dim)) same.dims.push(dim);
      return;
    }
    const cover = coverOf(start, end, reach);
    windows.push({ id, start, end, cover, raw: rawParts(start, end, cover), dims });
  };
  addWindow(0, from, to, ["a", "b", "o", "d", "p", "n", "u", "r"]);
  addWindow(1, addLocalDays(tz, to - 1, 0), to, ["a"]);
  addWindow(2, addLocalDays(tz, to - 1, -6), to, ["a"]);
  addWindow(3, addLocalDays(tz, to - 1, -29), to, ["a"]);
  buckets.forEach((b, i) => {
    addWindow(10 + i, Math.max(b.start, from), Math.min(b.end, to), ["a"]);
  });
  const main = windows[0] as Window;
  const order = textOrder(db.nullsFirst);
  const site = reach.siteId;

  // Raw events of every uncovered part.
  const edges = await edgeEvents(db, q.site, mergeIntervals(windows.flatMap((w) => w.raw)));

  // Summable counters of the covered run: per-day rows for its whole days, per-hour rows around them.
  const split = splitCover(mainCover);
  const counts = async (kind: CountKind, extra = "", params: unknown[] = []): Promise<Counted[]> => {
    const rows = await db.all(
      `SELECT k1, k2, k3, n, m, x FROM stats_counts
        WHERE site_id = ? AND kind = ? AND hour >= ? AND hour < ?${extra}
       UNION ALL
       SELECT k1, k2, k3, n, m, x FROM stats_counts
        WHERE site_id = ? AND kind = ? AND hour >= ? AND hour < ?${extra}
       UNION ALL
       SELECT k1, k2, k3, n, m, x FROM stats_counts
        WHERE site_id = ? AND kind = ? AND hour >= ? AND hour < ?${extra}`,
      [
        ...[site, kind, split.cs, split.h1, ...params],
        ...[site, dayKind(kind), split.d0, split.d1, ...params],
        ...[site, kind, split.h2, split.ce, ...params],
      ],
    );
    const out = new Map<string, Counted>();
    for (const r of rows) {
      const key = `${str(r.k1)}\u0000${str(r.k2)}\u0000${str(r.k3)}`;
      const c = out.get(key);
      if (c) {
        c.n += num(r.n);
        c.m += num(r.m);
        c.sx += num(r.x);
        c.mx = Math.max(c.mx, num(r.x));
      } else {
        out.set(key, {
          k1: str(r.k1),
          k2: str(r.k2),
          k3: str(r.k3),
          n: num(r.n),
          m: num(r.m),
          sx: num(r.x),
          mx: num(r.x),
        });
      }
    }
    return [...out.values()];
  };
  const mainEdges = edges.filter((e) => inParts(e.ts, main.raw));

  const [totalsRows, pageRows, eventRowsC, userRows, stRows, sbRows, seRows, sxRows] = await Promise.all([
    counts("T"),
    counts("P"),
    counts("E"),
    counts("U"),
    counts("ST"),
    counts("SB"),
    counts("SE"),
    counts("SX"),
  ]);
  const searchNames = q.searchEvents;
  const termRows =
    searchNames.length > 0
      ? await counts("S", ` AND k1 IN (${searchNames.map(() => "?").join(", ")})`, searchNames)
      : [];

  // Totals.
  let pageviews = num(totalsRows[0]?.n);
  let customEvents = num(totalsRows[0]?.m);
  for (const e of mainEdges) {
    if (e.type === "pageview") pageviews++;
    else if (isCustom(e.type)) customEvents++;
  }

  // Sessions: single-hour sessions from the counters, the others merged from their rows and raw parts.
  const sessions = await sessionFigures(db, site, mainCover, mainEdges);
  let sessionCount = num(stRows[0]?.n) + sessions.sessions;
  let withPv = num(stRows[0]?.m) + sessions.withPv;
  let lengthMs = num(stRows[0]?.sx) + sessions.lengthMs;
  let bounces = num(sbRows[0]?.n) + sessions.bounces;
  for (const single of sessions.singlesToDrop) {
    sessionCount--;
    if (single.pv >= 1) withPv--;
    if (single.pv === 1) bounces--;
    lengthMs -= single.last - single.first;
  }
  const entry = countsBy(seRows, "k1");
  const exit = countsBy(sxRows, "k1");
  for (const single of sessions.singlesToDrop) {
    if (single.pv < 1) continue;
    bump(entry, single.entryPath, -1);
    bump(exit, single.exitPath, -1);
  }
  for (const m of sessions.merged) {
    if (m.pv < 1) continue;
    bump(entry, m.entryPath, 1);
    bump(exit, m.exitPath, 1);
  }

  // Series.
  // Each bucket's window (a bucket may share one with the active-user windows), keyed by the bucket's id.
  const bucketWindows = buckets.map((_, i) => {
    const w = windows.find((x) => x.id === (alias.get(10 + i) ?? 10 + i)) as Window;
    return { ...w, id: 10 + i };
  });
  const seriesCte = db.rowsCte(
    "w",
    ["i", "cs", "h1", "d0", "d1", "h2", "ce"].map((c): [string, "int" | "text"] => [c, "int"]),
    bucketWindows.flatMap((w) => {
      if (!w.cover) return [];
      const c = splitCover(w.cover);
      return [[w.id, c.cs, c.h1, c.d0, c.d1, c.h2, c.ce]];
    }),
  );
  const seriesPv = new Map<number, number>();
  if (bucketWindows.some((w) => w.cover)) {
    const sum = (kind: string, from: string, to: string) =>
      `COALESCE((SELECT SUM(c.n) FROM stats_counts c WHERE c.site_id = ? AND c.kind = '${kind}'
                    AND c.hour >= w.${from} AND c.hour < w.${to}), 0)`;
    const rows = await db.all(
      `WITH ${seriesCte.sql}
       SELECT w.i AS i, ${sum("T", "cs", "h1")} + ${sum("DT", "d0", "d1")} + ${sum("T", "h2", "ce")} AS n FROM w`,
      [...seriesCte.params, site, site, site],
    );
    for (const r of rows) seriesPv.set(num(r.i), num(r.n));
  }
  for (const w of bucketWindows) {
    for (const e of edges) if (e.type === "pageview" && inParts(e.ts, w.raw)) bump(seriesPv, w.id, 1);
  }

  // Pages, events, users, terms, props.
  const pages = countsBy(pageRows, "k1");
  const eventCounts = countsBy(eventRowsC, "k1");
  const terms = countsBy(termRows, "k2");
  const users = new Map<string, { events: number; pageviews: number; last: number }>();
  for (const r of userRows) users.set(str(r.k1), { events: num(r.n), pageviews: num(r.m), last: num(r.mx) });
  const searchSet = new Set(searchNames);
  for (const e of mainEdges) {
    if (e.type === "pageview") bump(pages, e.path, 1);
    if (isCustom(e.type)) {
      bump(eventCounts, e.name, 1);
      if (searchSet.has(e.name) && e.term !== null && e.term !== "") bump(terms, e.term, 1);
    }
    if (e.userId !== null) {
      const u = users.get(e.userId) ?? { events: 0, pageviews: 0, last: Number.NEGATIVE_INFINITY };
      u.events++;
      if (e.type === "pageview") u.pageviews++;
      u.last = Math.max(u.last, e.ts);
      users.set(e.userId, u);
    }
  }

  const topEvents = top(eventCounts, limit, order);
  const topPageRows = top(pages, limit, order);
  // Visitors per path and per event name only for the rows shown (they rank by pageviews and counts).
  const topPaths = topPageRows.map(([path]) => path);
  const topNames = topEvents.map(([name]) => name);
  const pathSet = new Set(topPaths);
  const nameSet = new Set(topNames);
  const marks = (list: string[]) => (list.length === 0 ? "?" : list.map(() => "?").join(", "));
  const orNone = (list: string[]) => (list.length === 0 ? [null] : list);

  // Distinct people: covered counts, then raw-part people the covered run lacks.
  const covered = windows.flatMap((w) => {
    if (!w.cover) return [];
    const c = splitCover(w.cover);
    return w.dims.map((dim) => [w.id, dim, c.cs, c.h1, c.d0, c.d1, c.h2, c.ce]);
  });
  const wCte = db.rowsCte(
    "w",
    ["i", "dim", "cs", "h1", "d0", "d1", "h2", "ce"].map((c): [string, "int" | "text"] => [
      c,
      c === "dim" ? "text" : "int",
    ]),
    covered,
  );
  // Per dimension value: first rows of the run in the hours before its whole days, in the days, after them.
  const firsts = (table: string, column: string, from: string, to: string) =>
    `(SELECT COUNT(*) FROM ${table} p WHERE p.site_id = ? AND p.dim = w.dim AND p.value = dv.value
         AND p.${column} >= w.${from} AND p.${column} < w.${to} AND p.prev < w.cs)`;
  const peopleRows =
    covered.length === 0
      ? []
      : await db.all(
          `WITH ${wCte.sql}
           SELECT w.i AS i, w.dim AS dim, sv.text AS v,
                  ${firsts("stats_people", "hour", "cs", "h1")} + ${firsts("stats_people_day", "day", "d0", "d1")}
                    + ${firsts("stats_people", "hour", "h2", "ce")} AS n
             FROM w CROSS JOIN stats_dim_values dv CROSS JOIN stats_values sv
            WHERE dv.site_id = ? AND dv.dim = w.dim AND sv.id = dv.value
              AND (w.dim <> 'p' OR sv.text IN (${marks(topPaths)})) AND (w.dim <> 'n' OR sv.text IN (${marks(topNames)}))`,
          [...wCte.params, site, site, site, site, ...orNone(topPaths), ...orNone(topNames)],
        );
  const people = new Map<string, number>();
  const peopleKey = (i: number, dim: string, v: string) => `${i}\u0000${dim}\u0000${v}`;
  for (const r of peopleRows) {
    const n = num(r.n);
    if (n > 0) people.set(peopleKey(num(r.i), str(r.dim), str(r.v)), n);
  }
  const edgePairs = new Map<string, { i: number; dim: string; v: string; person: string; w: Window }>();
  for (const w of windows) {
    for (const e of edges) {
      if (!inParts(e.ts, w.raw)) continue;
      for (const dim of w.dims) {
        if (dim === "r") continue;
        const v = DIM_OF[dim]?.(e);
        if (v === undefined || (dim === "p" && !pathSet.has(v)) || (dim === "n" && !nameSet.has(v))) continue;
        edgePairs.set(`${peopleKey(w.id, dim, v)}\u0000${e.person}`, {
          i: w.id,
          dim,
          v,
          person: e.person,
          w,
        });
      }
    }
  }
  const inCover = await probePeople(
    db,
    site,
    [...edgePairs.values()].filter((p) => p.w.cover),
  );
  for (const [key, p] of edgePairs) {
    if (inCover.has(key)) continue;
    const k = peopleKey(p.i, p.dim, p.v);
    people.set(k, (people.get(k) ?? 0) + 1);
  }
  const byWindow = new Map<string, Map<string, number>>();
  for (const [k, n] of people) {
    const [i, dim, v] = k.split("\u0000") as [string, string, string];
    const key = `${i}\u0000${dim}`;
    let m = byWindow.get(key);
    if (!m) {
      m = new Map();
      byWindow.set(key, m);
    }
    m.set(v, n);
  }
  const distinctOf = (i: number, dim: string): Map<string, number> =>
    byWindow.get(`${alias.get(i) ?? i}\u0000${dim}`) ?? new Map();

  // Referrers: covered first-pageview people, corrected for the sessions merged above.
  const referrers = distinctOf(0, "r");
  for (const [ref, delta] of await referrerCorrections(db, site, mainCover, sessions))
    bump(referrers, ref, delta);

  const eventVisitors = distinctOf(0, "n");
  const eventRows: EventRow[] = topEvents.map(([name, count]) => ({
    name: shown(name),
    count,
    visitors: eventVisitors.get(name) ?? 0,
    props: [],
  }));
  await attachProps(db, site, mainCover, main.raw, q.site, eventRows, limit);

  const pageVisitors = distinctOf(0, "p");
  const named = (dim: string): NamedCount[] =>
    top(distinctOf(0, dim), limit, order).map(([name, visitors]) => ({ name, visitors }));

  const [live] = await db.all(
    `SELECT COUNT(DISTINCT COALESCE(user_id, visitor_id)) AS visitors,
            SUM(CASE WHEN type = 'pageview' THEN 1 ELSE 0 END) AS pageviews
       FROM events WHERE site = ? AND ts >= ? AND ts <= ?`,
    [q.site, now - 30 * 60_000, now],
  );
  const activeOf = (id: number) => distinctOf(id, "a").get("") ?? 0;

  return {
    ...queryEcho(q),
    totals: {
      visitors: activeOf(0),
      pageviews,
      sessions: sessionCount,
      events: customEvents,
      bounceRate: withPv === 0 ? 0 : bounces / withPv,
      avgSessionSeconds: sessionCount === 0 ? 0 : lengthMs / sessionCount / 1000,
    },
    series: buckets.map((b, i) => ({
      bucket: formatZoned(tz, b.start),
      visitors: activeOf(10 + i),
      pageviews: seriesPv.get(10 + i) ?? 0,
    })),
    activeUsers: { dau: activeOf(1), wau: activeOf(2), mau: activeOf(3) },
    topPages: topPageRows.map(([path, n]) => ({
      path: shown(path),
      pageviews: n,
      visitors: pageVisitors.get(path) ?? 0,
    })),
    entryPages: top(entry, limit, order).map(([path, n]) => ({ path: shown(path), sessions: n })),
    exitPages: top(exit, limit, order).map(([path, n]) => ({ path: shown(path), sessions: n })),
    referrers: top(referrers, limit, order).map(([name, visitors]) => ({ name, visitors })),
    utm: top(distinctOf(0, "u"), limit, utmOrder(db.nullsFirst)).map(([key, visitors]) => {
      const [source, medium, campaign] = JSON.parse(key) as [string, string | null, string | null];
      return { source, medium, campaign, visitors };
    }),
    browsers: named("b"),
    os: named("o"),
    devices: named("d"),
    events: eventRows,
    users: [...users]
      .sort((a, b) => b[1].events - a[1].events || compareText(a[0], b[0]))
      .slice(0, limit)
      .map(([userId, u]) => ({
        userId,
        events: u.events,
        pageviews: u.pageviews,
        lastSeen: new Date(u.last).toISOString(),
      })),
    searchTerms: top(terms, limit, order).map(([term, count]) => ({ term, count })),
    live: { visitors: num(live?.visitors), pageviews: num(live?.pageviews) },
  };
}

function bump<K>(map: Map<K, number>, key: K, delta: number): void {
  const n = (map.get(key) ?? 0) + delta;
  if (n === 0) map.delete(key);
  else map.set(key, n);
}

/** Counter rows summed by one key column: `n` per distinct `row[key]`. */
function countsBy(rows: Counted[], key: "k1" | "k2"): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rows) bump(out, r[key], r.n);
  return out;
}

/** UTM rows in the raw query's order: source, medium, campaign (NULL where the database puts it). */
function utmOrder(nullsFirst: boolean): (a: string, b: string) => number {
  const order = textOrder(nullsFirst);
  const part = (v: string | null | undefined) => (v === null || v === undefined ? NULL_TEXT : v);
  return (a, b) => {
    const [sa, ma, ca] = JSON.parse(a) as Array<string | null>;
    const [sb, mb, cb] = JSON.parse(b) as Array<string | null>;
    return order(part(sa), part(sb)) || order(part(ma), part(mb)) || order(part(ca), part(cb));
  };
}

/** Entries with a positive count, largest first, ties by text (as the raw queries' `ORDER BY n DESC, name`). */
function top(
  map: Map<string, number>,
  limit: number,
  order: (a: string, b: string) => number,
): Array<[string, number]> {
  return [...map]
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || order(a[0], b[0]))
    .slice(0, limit);
}

async function edgeEvents(
  db: RollupDialect,
  site: string,
  parts: Array<[number, number]>,
): Promise<EdgeEvent[]> {
  if (parts.length === 0) return [];
  const cte = db.rowsCte(
    "r",
    [
      ["s", "int"],
      ["e", "int"],
    ],
    parts,
  );
  const utm = dimensionSql(db).u[0].replace(/\b(utm_\w+)/g, "ev.$1");
  const rows = await db.all(
    `WITH ${cte.sql}
     SELECT ev.id, ev.ts, ev.type, ev.name, ev.path, ev.referrer_source, ev.session_id, ev.user_id,
            COALESCE(ev.user_id, ev.visitor_id) AS person, ev.browser, ev.os, ev.device,
            CASE WHEN ev.utm_source IS NOT NULL THEN ${utm} END AS utm_key,
            CASE WHEN ev.type IN ('event', 'server') THEN ${termSql(db).replace(/\bprops\b/g, "ev.props")} END AS term
       FROM r CROSS JOIN events ev WHERE ev.site = ? AND ev.ts >= r.s AND ev.ts < r.e`,
    [...cte.params, site],
  );
  return rows.map((r) => ({
    id: num(r.id),
    ts: num(r.ts),
    type: str(r.type),
    name: r.name === null || r.name === undefined ? NULL_TEXT : String(r.name),
    path: r.path === null || r.path === undefined ? NULL_TEXT : String(r.path),
    ref: r.referrer_source === null || r.referrer_source === undefined ? DIRECT : String(r.referrer_source),
    session: str(r.session_id),
    userId: r.user_id === null || r.user_id === undefined ? null : String(r.user_id),
    person: str(r.person),
    browser: r.browser === null || r.browser === undefined ? "Unknown" : String(r.browser),
    os: r.os === null || r.os === undefined ? "Unknown" : String(r.os),
    device: r.device === null || r.device === undefined ? "Unknown" : String(r.device),
    utmKey: r.utm_key === null || r.utm_key === undefined ? null : String(r.utm_key),
    term: r.term === null || r.term === undefined ? null : String(r.term),
  }));
}

/** Which raw-part (window, dimension, value, person) pairs the window's covered run already holds. */
async function probePeople(
  db: RollupDialect,
  site: number,
  pairs: Array<{ i: number; dim: string; v: string; person: string; w: Window }>,
): Promise<Set<string>> {
  const found = new Set<string>();
  if (pairs.length === 0) return found;
  const cte = db.rowsCte(
    "q",
    [
      ["i", "int"],
      ["dim", "text"],
      ["v", "text"],
      ["person", "text"],
      ["cs", "int"],
      ["ce", "int"],
    ],
    pairs.map((p) => [p.i, p.dim, p.v, p.person, p.w.cover?.cs, p.w.cover?.ce]),
  );
  const rows = await db.all(
    `WITH ${cte.sql}
     SELECT q.i AS i, q.dim AS dim, q.v AS v, q.person AS person FROM q
      WHERE EXISTS (SELECT 1 FROM stats_people p WHERE p.site_id = ? AND p.dim = q.dim
                       AND p.value = (SELECT sv.id FROM stats_values sv WHERE sv.text = q.v)
                       AND p.pid = (SELECT sp.id FROM stats_persons sp WHERE sp.key = q.person)
                       AND p.hour >= q.cs AND p.hour < q.ce)`,
    [...cte.params, site],
  );
  for (const r of rows) found.add(`${num(r.i)}\u0000${str(r.dim)}\u0000${str(r.v)}\u0000${str(r.person)}`);
  return found;
}

interface SessionRow extends SessionPiece {
  session: string;
  prev: number;
  next: number;
}

interface SessionFigures {
  sessions: number;
  withPv: number;
  bounces: number;
  lengthMs: number;
  /** Covered single-hour rows of sessions that also have raw-part events: counted as singles, merged here. */
  singlesToDrop: SessionRow[];
  /** Sessions not answered by the single-hour counters, merged over the range. */
  merged: Array<SessionPiece & { session: string }>;
  /** Covered rows (with pageviews) of the merged sessions: their first-pageview people are in the `r` rows. */
  coveredEntries: Array<[string, string]>;
}

/** Sessions spanning hours or touching the raw parts, merged from their covered rows and raw events. */
async function sessionFigures(
  db: RollupDialect,
  site: number,
  cover: Cover,
  mainEdges: EdgeEvent[],
): Promise<SessionFigures> {
  const edgeSessions = new Map<string, EdgeEvent[]>();
  for (const e of mainEdges) {
    const list = edgeSessions.get(e.session);
    if (list) list.push(e);
    else edgeSessions.set(e.session, [e]);
  }
  const columns = `hour, session, pv, first_ts, last_ts, entry_path, entry_ref, exit_path, prev, next,
      (SELECT key FROM stats_persons WHERE id = entry_pid) AS entry_person`;
  const linked = await db.all(
    `SELECT ${columns} FROM stats_sessions
      WHERE site_id = ? AND hour >= ? AND hour < ? AND (prev <> -1 OR next <> -1)`,
    [site, cover.cs, cover.ce],
  );
  let touched: Row[] = [];
  if (edgeSessions.size > 0) {
    const cte = db.rowsCte(
      "x",
      [["session", "text"]],
      [...edgeSessions.keys()].map((s) => [s]),
    );
    touched = await db.all(
      `WITH ${cte.sql}
       SELECT ${columns.replace(/\b(hour|session|pv|first_ts|last_ts|entry_path|entry_ref|exit_path|prev|next|entry_pid)\b/g, "ss.$1")}
         FROM x CROSS JOIN stats_sessions ss ${db.indexedBy("stats_sessions_session")}
        WHERE ss.site_id = ? AND ss.session = x.session AND ss.hour >= ? AND ss.hour < ?`,
      [...cte.params, site, cover.cs, cover.ce],
    );
  }
  const rows = new Map<string, SessionRow>();
  for (const r of [...linked, ...touched]) {
    const hour = num(r.hour);
    const row: SessionRow = {
      session: str(r.session),
      start: hour * HOUR_MS,
      pv: num(r.pv),
      first: num(r.first_ts),
      last: num(r.last_ts),
      entryPath: str(r.entry_path),
      entryRef: str(r.entry_ref),
      entryPerson: str(r.entry_person),
      exitPath: str(r.exit_path),
      prev: num(r.prev),
      next: num(r.next),
    };
    rows.set(`${hour}\u0000${row.session}`, row);
  }
  const bySession = new Map<string, SessionPiece[]>();
  const singlesToDrop: SessionRow[] = [];
  const coveredEntries: Array<[string, string]> = [];
  for (const row of rows.values()) {
    if (row.prev === -1 && row.next === -1) singlesToDrop.push(row);
    if (row.pv > 0) coveredEntries.push([row.entryRef, row.entryPerson]);
    const list = bySession.get(row.session);
    if (list) list.push(row);
    else bySession.set(row.session, [row]);
  }
  for (const [session, events] of edgeSessions) {
    const list = bySession.get(session) ?? [];
    list.push(...edgePieces(events));
    bySession.set(session, list);
  }
  const out: SessionFigures = {
    sessions: 0,
    withPv: 0,
    bounces: 0,
    lengthMs: 0,
    singlesToDrop,
    merged: [],
    coveredEntries,
  };
  for (const [session, pieces] of bySession) {
    pieces.sort((a, b) => a.start - b.start);
    let pv = 0;
    let first = Number.POSITIVE_INFINITY;
    let last = Number.NEGATIVE_INFINITY;
    let entry: SessionPiece | undefined;
    let exit: SessionPiece | undefined;
    for (const p of pieces) {
      pv += p.pv;
      first = Math.min(first, p.first);
      last = Math.max(last, p.last);
      if (p.pv > 0) {
        entry ??= p;
        exit = p;
      }
    }
    out.sessions++;
    if (pv >= 1) out.withPv++;
    if (pv === 1) out.bounces++;
    out.lengthMs += last - first;
    out.merged.push({
      session,
      start: first,
      pv,
      first,
      last,
      entryPath: entry?.entryPath ?? "",
      entryRef: entry?.entryRef ?? DIRECT,
      entryPerson: entry?.entryPerson ?? "",
      exitPath: exit?.exitPath ?? "",
    });
  }
  return out;
}

/** A session's raw-part events as time-ordered pieces: one per run of events before or after the cover. */
function edgePieces(events: EdgeEvent[]): SessionPiece[] {
  const sorted = [...events].sort((a, b) => a.ts - b.ts || a.id - b.id);
  const pieces: SessionPiece[] = [];
  for (const e of sorted) {
    // Pieces only need to order correctly against covered hours: one piece per event is exact and simple.
    const isPv = e.type === "pageview";
    pieces.push({
      start: e.ts,
      pv: isPv ? 1 : 0,
      first: e.ts,
      last: e.ts,
      entryPath: isPv ? e.path : "",
      entryRef: isPv ? e.ref : DIRECT,
      entryPerson: e.person,
      exitPath: isPv ? e.path : "",
    });
  }
  return pieces;
}

/**
 * Per referrer, what to add to the covered first-pageview people (`r` rows of the covered run) so they count
 * the merged sessions' true entries instead of their per-hour first pageviews.
 */
async function referrerCorrections(
  db: RollupDialect,
  site: number,
  cover: Cover,
  s: SessionFigures,
): Promise<Map<string, number>> {
  const pairKey = (ref: string, person: string) => `${ref}\u0000${person}`;
  const covered = new Map(s.coveredEntries.map(([ref, person]) => [pairKey(ref, person), [ref, person]]));
  const truths = new Map<string, [string, string]>();
  for (const m of s.merged)
    if (m.pv > 0) truths.set(pairKey(m.entryRef, m.entryPerson), [m.entryRef, m.entryPerson]);
  const all = new Map([...covered, ...truths]);
  const delta = new Map<string, number>();
  if (all.size === 0) return delta;
  // Pairs some other (single-hour, untouched) session in the covered run enters with.
  const zCte = db.rowsCte(
    "z",
    [
      ["ref", "text"],
      ["person", "text"],
    ],
    [...all.values()],
  );
  const xCte = db.rowsCte(
    "x",
    [["session", "text"]],
    s.merged.map((m) => [m.session]),
  );
  const rows = await db.all(
    `WITH ${zCte.sql}, ${xCte.sql}
     SELECT z.ref AS ref, z.person AS person FROM z
      WHERE EXISTS (SELECT 1 FROM stats_sessions ss ${db.indexedBy("stats_sessions_entry")} WHERE ss.site_id = ?
                       AND ss.entry_pid = (SELECT sp.id FROM stats_persons sp WHERE sp.key = z.person)
                       AND ss.hour >= ? AND ss.hour < ? AND ss.entry_ref = z.ref AND ss.pv > 0
                       AND ss.prev = -1 AND ss.next = -1
                       AND ss.session NOT IN (SELECT session FROM x))`,
    [...zCte.params, ...xCte.params, site, cover.cs, cover.ce],
  );
  const plain = new Set(rows.map((r) => pairKey(str(r.ref), str(r.person))));
  for (const [key, [ref]] of covered) if (!plain.has(key) && !truths.has(key)) bump(delta, ref, -1);
  for (const [key, [ref]] of truths) if (!plain.has(key) && !covered.has(key)) bump(delta, ref, 1);
  return delta;
}

/** Top property pairs of the listed events: covered counters plus the raw parts. */
async function attachProps(
  db: RollupDialect,
  site: number,
  cover: Cover,
  raw: Array<[number, number]>,
  siteName: string,
  rows: EventRow[],
  limit: number,
): Promise<void> {
  if (rows.length === 0) return;
  // As the raw query: properties of the events named as each row shows its name.
  const names = rows.map((r) => r.name);
  const marks = names.map(() => "?").join(", ");
  const counted = await db.all(
    `SELECT k1, k2, k3, SUM(n) AS n FROM stats_counts
      WHERE site_id = ? AND kind = 'Q' AND hour >= ? AND hour < ? AND k1 IN (${marks}) GROUP BY k1, k2, k3`,
    [site, cover.cs, cover.ce, ...names],
  );
  const pairs = new Map<string, { name: string; key: string; value: string; count: number }>();
  const add = (name: string, key: string, value: string, count: number) => {
    const k = `${name}\u0000${key}\u0000${value}`;
    const p = pairs.get(k);
    if (p) p.count += count;
    else pairs.set(k, { name, key, value, count });
  };
  for (const r of counted) add(str(r.k1), str(r.k2), str(r.k3), num(r.n));
  if (raw.length > 0) {
    const cte = db.rowsCte(
      "r",
      [
        ["s", "int"],
        ["e", "int"],
      ],
      raw,
    );
    const edge = await db.all(
      `WITH ${cte.sql}
       SELECT e.name AS name, p.key AS key, ${db.propValueText} AS value, COUNT(*) AS count
         FROM r CROSS JOIN events e ${db.propsJoin}
        WHERE e.site = ? AND e.ts >= r.s AND e.ts < r.e AND e.type IN ('event', 'server') AND e.props IS NOT NULL AND e.name IN (${marks})
        GROUP BY e.name, p.key, ${db.propValueText}`,
      [...cte.params, siteName, ...names],
    );
    for (const r of edge) add(str(r.name), str(r.key), str(r.value), num(r.count));
  }
  const byName = new Map(rows.map((r) => [r.name, r]));
  const sorted = [...pairs.values()].sort(
    (a, b) => b.count - a.count || compareText(a.key, b.key) || compareText(a.value, b.value),
  );
  for (const p of sorted) {
    const row = byName.get(p.name);
    if (!row || row.props.length >= limit) continue;
    const prop: EventPropRow = { key: p.key, value: p.value, count: p.count };
    row.props.push(prop);
  }
}
