import { num, str } from "../read-row.js";
import { DIRECT, type RollupDialect, termSql } from "../stats-dialect.js";
import { dimensionSql, type EventDimension, NULL_TEXT } from "./rollup-schema.js";

/** One raw event of the parts rollups do not cover, with the keys the figures derive from it. */
export interface EdgeEvent {
  id: number;
  ts: number;
  type: string;
  name: string;
  path: string;
  referrer: string;
  session: string;
  userId: string | null;
  person: string;
  browser: string;
  os: string;
  device: string;
  utmKey: string | null;
  term: string | null;
}

export const isCustom = (type: string) => type === "event" || type === "server";

/** Each event dimension's value of a raw event, as the rollups store it; undefined when it has none. */
export const EDGE_DIMENSION: Record<EventDimension, (e: EdgeEvent) => string | undefined> = {
  all: () => "",
  browser: (e) => (e.type !== "server" ? e.browser : undefined),
  os: (e) => (e.type !== "server" ? e.os : undefined),
  device: (e) => (e.type !== "server" ? e.device : undefined),
  page: (e) => (e.type === "pageview" ? e.path : undefined),
  event: (e) => (isCustom(e.type) ? e.name : undefined),
  utm: (e) => e.utmKey ?? undefined,
};

const orElse = (v: unknown, missing: string): string => (v === null || v === undefined ? missing : String(v));
const orNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** The events of `sorted` (in time order) that fall in the given parts (epoch ms intervals). */
export function edgesIn(sorted: EdgeEvent[], parts: Array<[number, number]>): EdgeEvent[] {
  const out: EdgeEvent[] = [];
  for (const [start, end] of parts)
    for (let i = firstAtOrAfter(sorted, start); i < sorted.length && (sorted[i] as EdgeEvent).ts < end; i++)
      out.push(sorted[i] as EdgeEvent);
  return out;
}

function firstAtOrAfter(sorted: EdgeEvent[], ts: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as EdgeEvent).ts < ts) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The raw events of a site in the given parts (epoch ms intervals), in time order. */
export async function readEdgeEvents(
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
  const utm = dimensionSql(db).utm[0].replace(/\b(utm_\w+)/g, "ev.$1");
  const rows = await db.all(
    `WITH ${cte.sql}
     SELECT ev.id, ev.ts, ev.type, ev.name, ev.path, ev.referrer_source, ev.session_id, ev.user_id,
            COALESCE(ev.user_id, ev.visitor_id) AS person, ev.browser, ev.os, ev.device,
            CASE WHEN ev.utm_source IS NOT NULL THEN ${utm} END AS utm_key,
            CASE WHEN ev.type IN ('event', 'server') THEN ${termSql(db).replace(/\bprops\b/g, "ev.props")} END AS term
       FROM r CROSS JOIN events ev WHERE ev.site = ? AND ev.ts >= r.s AND ev.ts < r.e`,
    [...cte.params, site],
  );
  const events = rows.map((r) => ({
    id: num(r.id),
    ts: num(r.ts),
    type: str(r.type),
    name: orElse(r.name, NULL_TEXT),
    path: orElse(r.path, NULL_TEXT),
    referrer: orElse(r.referrer_source, DIRECT),
    session: str(r.session_id),
    userId: orNull(r.user_id),
    person: str(r.person),
    browser: orElse(r.browser, "Unknown"),
    os: orElse(r.os, "Unknown"),
    device: orElse(r.device, "Unknown"),
    utmKey: orNull(r.utm_key),
    term: orNull(r.term),
  }));
  return events.sort((a, b) => a.ts - b.ts || a.id - b.id);
}
