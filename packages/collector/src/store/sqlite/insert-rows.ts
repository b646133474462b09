import type Database from "better-sqlite3";
import { LATE_INSERT_MS } from "../../stats/rollup/rollup-plan.js";
import { EVENT_COLUMNS } from "../columns.js";

/** Values per row of a flat row array (`EVENT_COLUMNS` order, props already JSON text). */
export const ROW_WIDTH = EVENT_COLUMNS.length;

// A lone UTF-16 surrogate would reach the file as invalid UTF-8 (and read back as three U+FFFD); store the one
// U+FFFD that every other UTF-8 path produces. Checked on the writer thread, off the request path, once per
// distinct string of a batch (see `cleanTexts`).
const SURROGATE = /[\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const SITE = EVENT_COLUMNS.indexOf("site");
const TS = EVENT_COLUMNS.indexOf("ts");
const VISITOR = EVENT_COLUMNS.indexOf("visitor_id");
const SESSION = EVENT_COLUMNS.indexOf("session_id");

/** How long `visitor_sessions` keeps a visitor's latest event: far longer than a session's 30-minute timeout. */
export const VISITOR_SESSIONS_KEEP_MS = 6 * 3_600_000;
/** Pruning `visitor_sessions` (a scan of that small table) runs at most this often. */
const PRUNE_EVERY_MS = 60_000;

/** Replaces lone surrogates in the string values, in place, before they are inserted. */
export function cleanTexts(values: unknown[]): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === "string" && SURROGATE.test(v)) values[i] = v.replace(LONE_SURROGATE, "\ufffd");
  }
}

/** Rows per INSERT statement: fewer statement calls per row; measured fastest around 4. */
const ROWS_PER_STATEMENT = 4;

/** `INSERT INTO events` of `rows` rows. */
function insertSql(rows: number): string {
  const row = `(${EVENT_COLUMNS.map(() => "?").join(", ")})`;
  return `INSERT INTO events (${EVENT_COLUMNS.join(", ")}) VALUES ${Array(rows).fill(row).join(", ")}`;
}

/**
 * Inserts a flat array of event rows, four rows per INSERT (the rest one by one), all in one `BEGIN IMMEDIATE`
 * transaction, and records each visitor's latest event of the batch in `visitor_sessions` (what collectors
 * sharing the store continue sessions from). The values must already be clean (`cleanTexts`).
 */
export function createRowInserter(db: Database.Database): (values: unknown[]) => void {
  const insertOne = db.prepare(insertSql(1));
  const insertMany = db.prepare(insertSql(ROWS_PER_STATEMENT));
  const manyWidth = ROW_WIDTH * ROWS_PER_STATEMENT;
  const upsertVisitor = db.prepare(
    `INSERT INTO visitor_sessions (visitor_id, session_id, ts) VALUES (?, ?, ?)
     ON CONFLICT (visitor_id) DO UPDATE SET session_id = excluded.session_id, ts = excluded.ts
     WHERE excluded.ts >= visitor_sessions.ts`,
  );
  const pruneVisitors = db.prepare("DELETE FROM visitor_sessions WHERE ts < ?");
  let prunedAt = 0;
  // Pruned relative to the newest event stored, not the clock: what matters is how far behind the traffic a row is.
  let newest = Number.NEGATIVE_INFINITY;
  let markStale: Database.Statement | undefined;
  const insert = db.transaction((values: unknown[]) => {
    // Events received over a minute ago may land in hours the stats rollups already hold: mark those hours
    // (normally no batch has any, and this costs one comparison per row).
    const now = Date.now();
    const lateBefore = now - LATE_INSERT_MS;
    let late: Set<string> | undefined;
    // Visitor → its latest event in this batch.
    const latest = new Map<unknown, { session: unknown; ts: number }>();
    const manyEnd = values.length - (values.length % manyWidth);
    for (let at = 0; at < manyEnd; at += manyWidth) insertMany.run(...values.slice(at, at + manyWidth));
    for (let at = manyEnd; at < values.length; at += ROW_WIDTH)
      insertOne.run(...values.slice(at, at + ROW_WIDTH));
    for (let at = 0; at < values.length; at += ROW_WIDTH) {
      const ts = values[at + TS] as number;
      if (ts > newest) newest = ts;
      const visitor = values[at + VISITOR];
      const seen = latest.get(visitor);
      if (seen === undefined) latest.set(visitor, { session: values[at + SESSION], ts });
      else if (seen.ts <= ts) {
        seen.session = values[at + SESSION];
        seen.ts = ts;
      }
      if (ts < lateBefore) {
        late ??= new Set();
        late.add(`${Math.floor(ts / 3_600_000)} ${values[at + SITE]}`);
      }
    }
    for (const [visitor, { session, ts }] of latest) upsertVisitor.run(visitor, session, ts);
    if (now - prunedAt >= PRUNE_EVERY_MS) {
      prunedAt = now;
      pruneVisitors.run(newest - VISITOR_SESSIONS_KEEP_MS);
    }
    if (late) {
      markStale ??= db.prepare("INSERT INTO stats_stale (site, hour) VALUES (?, ?) ON CONFLICT DO NOTHING");
      for (const key of late) {
        const space = key.indexOf(" ");
        markStale.run(key.slice(space + 1), Number(key.slice(0, space)));
      }
    }
  });
  return (values) => {
    if (values.length % ROW_WIDTH !== 0)
      throw new TypeError("row values are not a multiple of the row width");
    if (values.length > 0) insert.immediate(values);
  };
}

/**
 * The store's connection settings: WAL, `synchronous=NORMAL`, a busy timeout, and a checkpoint every 10,000 WAL
 * pages (~40 MB) instead of 1,000. Each commit past the threshold copies the WAL into the database and syncs it;
 * a rollup chunk dirties thousands of pages, so at 1,000 nearly every chunk's commit did that (a third of a
 * rollup build's time). Durability is unchanged: a commit survives a process crash, and the WAL is synced at each
 * checkpoint (an OS crash or power loss may lose the last transactions, as before). A transaction larger than that
 * (such as a rebuild dropping millions of rollup rows) grows the WAL file past it, and SQLite never shrinks it by
 * itself: `journal_size_limit` truncates it back to 64 MiB at the next checkpoint.
 */
export function configureConnection(db: Database.Database): void {
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("busy_timeout = 5000");
  db.pragma("wal_autocheckpoint = 10000");
  db.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
}
