import { num, str } from "../read-row.js";
import { DIRECT, type RollupDialect } from "../stats-dialect.js";
import type { EdgeEvent } from "./edge-events.js";
import { type Cover, HOUR_MS } from "./rollup-plan.js";

/** A session's share of one hour (rollup row) or of a raw part, merged in time order. */
export interface SessionPiece {
  start: number;
  pageviews: number;
  first: number;
  last: number;
  entryPath: string;
  entryReferrer: string;
  entryPerson: string;
  exitPath: string;
}

export interface SessionRow extends SessionPiece {
  session: string;
  previousHour: number;
  nextHour: number;
}

export interface MergedSessions {
  sessions: number;
  withPageviews: number;
  bounces: number;
  lengthMs: number;
  /** Covered single-hour rows of sessions that also have raw-part events: counted as singles, merged here. */
  singlesToDrop: SessionRow[];
  /** Sessions not answered by the single-hour counters, merged over the range. */
  merged: Array<SessionPiece & { session: string }>;
  /** Covered rows (with pageviews) of the merged sessions: their entry people are in the `referrer` rows. */
  coveredEntries: Array<[string, string]>;
}

const COLUMNS = [
  "hour",
  "session",
  "pageviews",
  "first_ts",
  "last_ts",
  "entry_path",
  "entry_referrer",
  "exit_path",
  "previous_hour",
  "next_hour",
];

/** Covered session rows that span hours, and those of sessions with raw-part events. */
async function readSessionRows(
  db: RollupDialect,
  siteId: number,
  cover: Cover,
  edgeSessions: string[],
): Promise<Map<string, SessionRow>> {
  const person = (p: string) =>
    `(SELECT key FROM stats_persons WHERE id = ${p}entry_person_id) AS entry_person`;
  // SQLite would walk every session row of the range by the primary key; most sessions stay within an hour.
  const linked = await db.all(
    `SELECT ${COLUMNS.join(", ")}, ${person("")} FROM stats_sessions ${db.indexedBy("stats_sessions_linked")}
      WHERE site_id = ? AND hour >= ? AND hour < ? AND (previous_hour <> -1 OR next_hour <> -1)`,
    [siteId, cover.startHour, cover.endHour],
  );
  let touched: Record<string, unknown>[] = [];
  if (edgeSessions.length > 0) {
    const cte = db.rowsCte(
      "x",
      [["session", "text"]],
      edgeSessions.map((s) => [s]),
    );
    touched = await db.all(
      `WITH ${cte.sql}
       SELECT ${COLUMNS.map((c) => `ss.${c}`).join(", ")}, ${person("ss.")}
         FROM x CROSS JOIN stats_sessions ss ${db.indexedBy("stats_sessions_session")}
        WHERE ss.site_id = ? AND ss.session = x.session AND ss.hour >= ? AND ss.hour < ?`,
      [...cte.params, siteId, cover.startHour, cover.endHour],
    );
  }
  const rows = new Map<string, SessionRow>();
  for (const r of [...linked, ...touched]) {
    const hour = num(r.hour);
    const row: SessionRow = {
      session: str(r.session),
      start: hour * HOUR_MS,
      pageviews: num(r.pageviews),
      first: num(r.first_ts),
      last: num(r.last_ts),
      entryPath: str(r.entry_path),
      entryReferrer: str(r.entry_referrer),
      entryPerson: str(r.entry_person),
      exitPath: str(r.exit_path),
      previousHour: num(r.previous_hour),
      nextHour: num(r.next_hour),
    };
    rows.set(`${hour}\u0000${row.session}`, row);
  }
  return rows;
}

/** A session's raw-part events as time-ordered pieces, one per event (exact, and simple to order). */
function edgePieces(events: EdgeEvent[]): SessionPiece[] {
  const sorted = [...events].sort((a, b) => a.ts - b.ts || a.id - b.id);
  return sorted.map((e) => {
    const isPageview = e.type === "pageview";
    return {
      start: e.ts,
      pageviews: isPageview ? 1 : 0,
      first: e.ts,
      last: e.ts,
      entryPath: isPageview ? e.path : "",
      entryReferrer: isPageview ? e.referrer : DIRECT,
      entryPerson: e.person,
      exitPath: isPageview ? e.path : "",
    };
  });
}

function groupBySession<T extends { session: string }>(items: Iterable<T>): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const list = out.get(item.session);
    if (list) list.push(item);
    else out.set(item.session, [item]);
  }
  return out;
}

/** Sessions spanning hours or touching the raw parts, merged from their covered rows and raw events. */
export async function mergeSessions(
  db: RollupDialect,
  siteId: number,
  cover: Cover,
  mainEdges: EdgeEvent[],
): Promise<MergedSessions> {
  const edgeSessions = groupBySession(mainEdges);
  const rows = await readSessionRows(db, siteId, cover, [...edgeSessions.keys()]);
  const out: MergedSessions = {
    sessions: 0,
    withPageviews: 0,
    bounces: 0,
    lengthMs: 0,
    singlesToDrop: [],
    merged: [],
    coveredEntries: [],
  };
  const bySession = new Map<string, SessionPiece[]>();
  for (const [session, list] of groupBySession(rows.values())) bySession.set(session, list);
  for (const row of rows.values()) {
    if (row.previousHour === -1 && row.nextHour === -1) out.singlesToDrop.push(row);
    if (row.pageviews > 0) out.coveredEntries.push([row.entryReferrer, row.entryPerson]);
  }
  for (const [session, events] of edgeSessions)
    bySession.set(session, [...(bySession.get(session) ?? []), ...edgePieces(events)]);
  for (const [session, pieces] of bySession) addMerged(out, session, pieces);
  return out;
}

function addMerged(out: MergedSessions, session: string, pieces: SessionPiece[]): void {
  pieces.sort((a, b) => a.start - b.start);
  let pageviews = 0;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  let entry: SessionPiece | undefined;
  let exit: SessionPiece | undefined;
  for (const p of pieces) {
    pageviews += p.pageviews;
    first = Math.min(first, p.first);
    last = Math.max(last, p.last);
    if (p.pageviews > 0) {
      entry ??= p;
      exit = p;
    }
  }
  out.sessions++;
  if (pageviews >= 1) out.withPageviews++;
  if (pageviews === 1) out.bounces++;
  out.lengthMs += last - first;
  out.merged.push({
    session,
    start: first,
    pageviews,
    first,
    last,
    entryPath: entry?.entryPath ?? "",
    entryReferrer: entry?.entryReferrer ?? DIRECT,
    entryPerson: entry?.entryPerson ?? "",
    exitPath: exit?.exitPath ?? "",
  });
}
