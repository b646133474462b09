import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";
import { runInChunks } from "../../lifecycle/chunked-run.js";
import type { LongOperationOptions } from "../../lifecycle/long-operation.js";
import { DISTINCT_SITES_SQL } from "../../stats/distinct-sites-sql.js";
import { sqlitePathMatch } from "../../stats/path-pattern.js";
import { computeStats } from "../../stats/raw/raw-stats.js";
import { type RollupHost, StatsRollups } from "../../stats/rollup/rollups.js";
import type { RunSql } from "../../stats/rollup/site-rollup.js";
import type { RollupDialect } from "../../stats/stats-dialect.js";
import type {
  DestinationCounts,
  PageCoverage,
  SitePageviews,
  StatsQuery,
  StatsResult,
} from "../../stats/types.js";
import { eventValues, type RecentSession } from "../columns.js";
import { destinationCountsSql, firstHourFrom } from "../destination-counts-sql.js";
import { documentCountsSql } from "../document-counts-sql.js";
import { migrateInSteps } from "../migrate-in-steps.js";
import { rankSites } from "../site-ranking.js";
import type {
  DashboardSession,
  DestinationHourCounts,
  DocumentHourCounts,
  EventStore,
  StoredEvent,
} from "../types.js";
import { cleanTexts, configureConnection, createRowInserter, ROW_WIDTH } from "./insert-rows.js";
import { SQLITE_MIGRATIONS } from "./migrations.js";
import { sharedWriterThread, type WriterThread } from "./writer-thread.js";

const DESTINATION_COUNTS_SQL = destinationCountsSql(() => "?");
const DOCUMENT_COUNTS_SQL = documentCountsSql(() => "?");

export const DEFAULT_SQLITE_PATH = "./.tracklet/tracklet.sqlite";

const DAY_MS = 86_400_000;

export interface SqliteStoreOptions {
  /** Database file (created with its directory); `:memory:` for a private in-memory database. */
  path?: string;
  /** Clock for the `live` figures (tests). */
  now?: () => number;
  /**
   * Where inserts run: `"thread"` (default for files) on a writer thread with its own connection, so the
   * event loop never waits for them; `"inline"` on this connection, synchronously (always for `:memory:`,
   * which a second connection cannot see).
   */
  writer?: "thread" | "inline";
  /** Keep the stats rollups up to date in the background (default true); `refreshRollups` works either way. */
  autoRollups?: boolean;
  /** Where background rollup failures are reported. */
  onError?: (message: string, err?: unknown) => void;
  /**
   * When pending migrations run: `"open"` (default) in the constructor, synchronously; `"migrate"` in
   * `migrate()`, which reports progress and can be stopped between migrations. Until it resolves, call nothing
   * else.
   */
  migrations?: "open" | "migrate";
}

let nextStoreId = 1;

/**
 * The embedded default store: one SQLite file in WAL mode, `synchronous=NORMAL` (durable across process
 * crashes; the last transactions may be lost on power failure), a busy timeout so a CLI command and a running
 * collector can share the file. Inserts run on a writer thread with a second connection (WAL lets this
 * connection read meanwhile); `insertEvents` resolves once the batch is committed.
 */
export class SqliteStore implements EventStore {
  readonly path: string;
  readonly db: Database.Database;
  private readonly now: () => number;
  private readonly inline: boolean;
  /** Prepared on the first inline insert: the tables may not exist before `migrate()`. */
  private insertInline: ((values: unknown[]) => void) | undefined;
  private readonly writer: WriterThread | undefined;
  private readonly id = nextStoreId++;
  private readonly absolutePath: string;
  private writerUsed = false;
  /** Serialises rollup transactions and stats reads on this connection (each may span several awaits). */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly statements = new Map<string, Database.Statement>();
  readonly rollups: StatsRollups;

  constructor(options: SqliteStoreOptions = {}) {
    this.path = options.path ?? DEFAULT_SQLITE_PATH;
    this.now = options.now ?? Date.now;
    if (this.path !== ":memory:") mkdirSync(dirname(this.path), { recursive: true });
    this.db = new Database(this.path);
    configureConnection(this.db);
    // This connection answers stats from the rollup tables: a 30-day view reads tens of MB of their pages, which
    // the default 2 MB page cache would fetch from the file again on every request.
    this.db.pragma("cache_size = -65536");
    this.db.pragma("mmap_size = 268435456");
    if ((options.migrations ?? "open") === "open") while (this.applyNextMigration());
    this.inline = this.path === ":memory:" || options.writer === "inline";
    this.writer = this.inline ? undefined : sharedWriterThread();
    this.absolutePath = resolve(this.path);
    const host: RollupHost = {
      dialect: this.dialect,
      transaction: (fn) => this.inTransaction(fn),
      ...(options.onError ? { onError: options.onError } : {}),
    };
    this.rollups = new StatsRollups(host, this.now);
    if (options.autoRollups ?? true) this.rollups.start();
  }

  /** Runs `fn` alone on this connection (after everything queued before it). */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.queue.then(fn, fn);
    this.queue = result.catch(() => {});
    return result;
  }

  private prepared(sql: string): Database.Statement {
    let st = this.statements.get(sql);
    if (!st) {
      st = this.db.prepare(sql);
      if (this.statements.size > 500) this.statements.clear();
      this.statements.set(sql, st);
    }
    return st;
  }

  private readonly runSql: RunSql = async (sql, params) => {
    const st = this.prepared(sql);
    if (st.reader) return st.all(...params) as Record<string, unknown>[];
    st.run(...params);
    return [];
  };

  /** One `BEGIN IMMEDIATE` transaction (the database write lock) around `fn`, alone on this connection. */
  private inTransaction<T>(fn: (run: RunSql) => Promise<T>): Promise<T> {
    return this.exclusive(async () => {
      if (!this.db.open) throw new TypeError("The database connection is not open");
      this.db.exec("BEGIN IMMEDIATE");
      try {
        const result = await fn(this.runSql);
        this.db.exec("COMMIT");
        return result;
      } catch (err) {
        if (this.db.inTransaction) this.db.exec("ROLLBACK");
        throw err;
      }
    });
  }

  /** Builds the stats rollups up to the hours that closed a few minutes ago (also done in the background). */
  async refreshRollups(options?: LongOperationOptions): Promise<void> {
    await this.rollups.refresh(options);
  }

  /** Drops the stats rollups from the hour holding `from` on (default: all) and builds them again. */
  async rebuildRollups(from = new Date(0), options?: LongOperationOptions): Promise<void> {
    await this.rollups.rebuild(from, options);
  }

  /** The reference computation: every figure from a scan of raw events, as before rollups existed. */
  async scanStats(query: StatsQuery): Promise<StatsResult> {
    return this.exclusive(() => computeStats(this.dialect, query, this.now()));
  }

  /**
   * Applies pending migrations, one transaction each (an interrupted run leaves none half done, and the next
   * run goes on from there). Stops between two migrations when `signal` aborts.
   */
  async migrate(options: LongOperationOptions = {}): Promise<void> {
    await migrateInSteps(this.pendingMigrations().length, () => this.applyNextMigration(), options);
  }

  private pendingMigrations(): typeof SQLITE_MIGRATIONS {
    this.db.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)",
    );
    const done = new Set(
      (this.db.prepare("SELECT version FROM schema_migrations").all() as Array<{ version: number }>).map(
        (r) => r.version,
      ),
    );
    return SQLITE_MIGRATIONS.filter((m) => !done.has(m.version));
  }

  /** Applies the first pending migration in its own transaction; false when none is pending. */
  private applyNextMigration(): boolean {
    // BEGIN IMMEDIATE takes the write lock first, so two processes never apply the same migration.
    const apply = this.db.transaction(() => {
      const [next] = this.pendingMigrations();
      if (!next) return false;
      this.db.exec(next.sql);
      this.db
        .prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)")
        .run(next.version, next.name, Date.now());
      return true;
    });
    return apply.immediate();
  }

  async insertEvents(events: StoredEvent[]): Promise<void> {
    if (!this.db.open) throw new TypeError("The database connection is not open");
    if (events.length === 0) return;
    const values = eventValues(events);
    if (this.inline) {
      this.insertInline ??= createRowInserter(this.db);
      cleanTexts(values);
      this.insertInline(values);
      return;
    }
    this.writerUsed = true;
    await this.writer?.request({
      type: "insert",
      store: this.id,
      path: this.absolutePath,
      values,
      rowWidth: ROW_WIDTH,
    });
  }

  async recentSessions(visitorIds: string[], since: number): Promise<RecentSession[]> {
    if (visitorIds.length === 0) return [];
    const out: RecentSession[] = [];
    const stmt = this.db.prepare(
      "SELECT session_id, ts FROM visitor_sessions WHERE visitor_id = ? AND ts >= ?",
    );
    for (const id of visitorIds) {
      const row = stmt.get(id, since) as { session_id: string; ts: number } | undefined;
      if (row) out.push({ visitorId: id, sessionId: row.session_id, ts: row.ts });
    }
    return out;
  }

  async getMeta(key: string): Promise<string | undefined> {
    const row = this.db.prepare("SELECT value FROM meta WHERE key = ?").get(key) as
      | { value: string }
      | undefined;
    return row?.value;
  }

  async setMeta(key: string, value: string): Promise<void> {
    this.db
      .prepare(
        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      )
      .run(key, value);
  }

  async setMetaIfAbsent(key: string, value: string): Promise<string> {
    this.db
      .prepare("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING")
      .run(key, value);
    return (this.db.prepare("SELECT value FROM meta WHERE key = ?").get(key) as { value: string }).value;
  }

  async deleteMeta(key: string): Promise<void> {
    this.db.prepare("DELETE FROM meta WHERE key = ?").run(key);
  }

  async createSession(session: DashboardSession): Promise<void> {
    this.db
      .prepare(
        "INSERT INTO dashboard_sessions (id_hash, token_key, created_at, last_seen_at) VALUES (?, ?, ?, ?)",
      )
      .run(session.idHash, session.tokenKey, session.createdAt, session.lastSeenAt);
  }

  async getSession(idHash: string): Promise<DashboardSession | undefined> {
    const row = this.db
      .prepare("SELECT token_key, created_at, last_seen_at FROM dashboard_sessions WHERE id_hash = ?")
      .get(idHash) as { token_key: string; created_at: number; last_seen_at: number } | undefined;
    return (
      row && { idHash, tokenKey: row.token_key, createdAt: row.created_at, lastSeenAt: row.last_seen_at }
    );
  }

  async touchSession(idHash: string, lastSeenAt: number): Promise<void> {
    this.db
      .prepare("UPDATE dashboard_sessions SET last_seen_at = ? WHERE id_hash = ?")
      .run(lastSeenAt, idHash);
  }

  async deleteSession(idHash: string): Promise<void> {
    this.db.prepare("DELETE FROM dashboard_sessions WHERE id_hash = ?").run(idHash);
  }

  async pruneSessions(tokenKey: string, createdBefore: number, seenBefore: number): Promise<number> {
    return this.db
      .prepare("DELETE FROM dashboard_sessions WHERE token_key <> ? OR created_at < ? OR last_seen_at < ?")
      .run(tokenKey, createdBefore, seenBefore).changes;
  }

  async deleteOlderThan(cutoff: Date, options: LongOperationOptions = {}): Promise<number> {
    // Rollups first, so no stats answer mixes trimmed rollups with deleted events.
    await this.rollups.trim(cutoff);
    const before = cutoff.getTime();
    // Per site, so each chunk is a range on the (site, ts) index.
    const sites = (this.db.prepare(DISTINCT_SITES_SQL).all() as Array<{ site: string }>).map((r) => r.site);
    let total = 0;
    for (const site of sites) total += await this.countBefore(site, before);
    const remove = this.db.prepare(
      "DELETE FROM events WHERE id IN (SELECT id FROM events WHERE site = ? AND ts < ? LIMIT ?)",
    );
    let site = 0;
    // Each chunk is one statement (its own transaction) alone on this connection.
    const deleted = await runInChunks(
      {
        task: "retention",
        total,
        chunk: (limit) =>
          this.exclusive(async () => {
            const { changes } = remove.run(sites[site], before, limit);
            if (changes < limit) site++;
            return { done: changes, finished: site >= sites.length };
          }),
      },
      options,
    );
    await this.exclusive(async () => {
      // Normally pruned by the inserts; a collector that received nothing for a while still keeps nothing older.
      this.db.prepare("DELETE FROM visitor_sessions WHERE ts < ?").run(before);
      this.prepared(DESTINATION_COUNTS_SQL.deleteBefore).run(before);
      this.prepared(DOCUMENT_COUNTS_SQL.deleteBefore).run(before);
    });
    return deleted;
  }

  /**
   * Events of `site` received before `before`, counted a day at a time: statements here run on the event loop's
   * thread, and one count over millions of rows would hold it (and the collector's requests) for a second.
   */
  private async countBefore(site: string, before: number): Promise<number> {
    const first = this.db.prepare("SELECT MIN(ts) AS ts FROM events WHERE site = ?").get(site) as {
      ts: number | null;
    };
    const count = this.db.prepare("SELECT COUNT(*) AS n FROM events WHERE site = ? AND ts >= ? AND ts < ?");
    let total = 0;
    for (let from = first.ts ?? before; from < before; from += DAY_MS) {
      total += (count.get(site, from, Math.min(from + DAY_MS, before)) as { n: number }).n;
      await new Promise((resolve) => setImmediate(resolve));
    }
    return total;
  }

  async eraseUser(userId: string, options: LongOperationOptions = {}): Promise<number> {
    // The user's rows, plus the anonymous rows of the same daily visitor hashes (before sign-in, same device).
    // Anonymous rows go first: the user's own rows are what names the visitor hashes when an interrupted erasure
    // runs again.
    const ids = (
      this.db.prepare("SELECT DISTINCT visitor_id FROM events WHERE user_id = ?").all(userId) as Array<{
        visitor_id: string;
      }>
    ).map((v) => v.visitor_id);
    const idList = JSON.stringify(ids);
    const ofVisitors = "visitor_id IN (SELECT value FROM json_each(?))";
    const anonymous = `${ofVisitors} AND user_id IS NULL`;
    const span = this.db.prepare("SELECT MIN(id) AS lo, MAX(id) AS hi FROM events").get() as {
      lo: number | null;
      hi: number | null;
    };
    const userRows = (
      this.db.prepare("SELECT COUNT(*) AS n FROM events WHERE user_id = ?").get(userId) as {
        n: number;
      }
    ).n;
    const lo = span.lo ?? 0;
    const hi = span.hi ?? -1;
    // No index leads from a visitor hash to its events (it cost every insert too much): one pass over id windows,
    // progress counted in rows looked at.
    const removeAnonymous = this.db.prepare(`DELETE FROM events WHERE id >= ? AND id < ? AND ${anonymous}`);
    const firstAnonymous = this.db.prepare(
      `SELECT site, MIN(ts) AS ts FROM events WHERE id >= ? AND id < ? AND ${anonymous} GROUP BY site`,
    );
    const removeOwn = this.db.prepare(
      "DELETE FROM events WHERE id IN (SELECT id FROM events WHERE user_id = ? LIMIT ?)",
    );
    const firsts = new Map<string, number>();
    const note = (rows: unknown[]) => {
      for (const r of rows as Array<{ site: string; ts: number }>)
        firsts.set(r.site, Math.min(firsts.get(r.site) ?? r.ts, r.ts));
    };
    note(
      this.db.prepare("SELECT site, MIN(ts) AS ts FROM events WHERE user_id = ? GROUP BY site").all(userId),
    );
    let next = ids.length > 0 ? lo : hi + 1;
    let erased = 0;
    try {
      await runInChunks(
        {
          task: "erasure",
          total: Math.max(0, hi + 1 - next) + userRows,
          chunk: (limit) =>
            this.exclusive(async () => {
              if (next <= hi) {
                const end = Math.min(next + limit, hi + 1);
                note(firstAnonymous.all(next, end, idList));
                erased += removeAnonymous.run(next, end, idList).changes;
                const looked = end - next;
                next = end;
                return { done: looked, finished: false };
              }
              const { changes } = removeOwn.run(userId, limit);
              erased += changes;
              return { done: changes, finished: changes < limit };
            }),
        },
        options,
      );
    } finally {
      await this.forgetErased(firsts, [userId, ...ids], idList, erased);
    }
    return erased;
  }

  /**
   * After an erasure (finished or interrupted): the rollups from the first hour it touched are rebuilt from the
   * remaining events by the next pass, and the erased people leave the rollups' person table.
   */
  private async forgetErased(firsts: Map<string, number>, keys: string[], idList: string, erased: number) {
    if (erased === 0) return;
    await this.inTransaction(async (run) => {
      for (const [site, ts] of firsts) await StatsRollups.rewind(run, site, ts);
      const forget = this.db.prepare("DELETE FROM stats_persons WHERE key = ?");
      for (const key of keys) forget.run(key);
      this.db
        .prepare("DELETE FROM visitor_sessions WHERE visitor_id IN (SELECT value FROM json_each(?))")
        .run(idList);
    });
    this.rollups.kick(true);
  }

  async countEvents(site?: string): Promise<number> {
    const row = (
      site === undefined
        ? this.db.prepare("SELECT COUNT(*) AS n FROM events").get()
        : this.db.prepare("SELECT COUNT(*) AS n FROM events WHERE site = ?").get(site)
    ) as { n: number };
    return row.n;
  }

  async integrityCheck(): Promise<{ ok: boolean; details: string }> {
    const rows = this.db.pragma("integrity_check") as Array<{ integrity_check: string }>;
    const details = rows.map((r) => r.integrity_check).join("; ");
    return { ok: details === "ok", details };
  }

  async stats(query: StatsQuery): Promise<StatsResult> {
    return this.exclusive(() => this.rollups.stats(query));
  }

  async addDestinationCounts(rows: DestinationHourCounts[]): Promise<void> {
    const add = this.prepared(DESTINATION_COUNTS_SQL.add);
    this.db.transaction(() => {
      for (const r of rows) add.run(r.destination, r.hour, r.collected, r.forwarded, r.failed, r.dropped);
    })();
  }

  async destinationCounts(from: Date, to: Date): Promise<DestinationCounts[]> {
    return this.prepared(DESTINATION_COUNTS_SQL.range).all(
      firstHourFrom(from),
      to.getTime(),
    ) as DestinationCounts[];
  }

  async addDocumentCounts(rows: DocumentHourCounts[]): Promise<void> {
    const add = this.prepared(DOCUMENT_COUNTS_SQL.add);
    this.db.transaction(() => {
      for (const r of rows) add.run(r.site, r.path, r.hour, r.served, r.reported);
    })();
  }

  async documentCounts(site: string, from: Date, to: Date): Promise<PageCoverage[]> {
    return this.prepared(DOCUMENT_COUNTS_SQL.range).all(
      site,
      firstHourFrom(from),
      to.getTime(),
    ) as PageCoverage[];
  }

  async sites(): Promise<string[]> {
    return (
      this.db.prepare("SELECT DISTINCT site FROM events ORDER BY site").all() as Array<{ site: string }>
    ).map((r) => r.site);
  }

  async topSites(limit: number): Promise<SitePageviews[]> {
    return this.exclusive(() => rankSites(this.dialect.all, this.now(), limit));
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    await this.rollups.stop();
    await this.queue;
    if (!this.db.open) return;
    // The writer's connection closes first, so this last connection checkpoints and removes the WAL.
    if (this.writerUsed) await this.writer?.request({ type: "close", store: this.id }).catch(() => {});
    this.writerUsed = false;
    if (this.db.open) this.db.close();
  }

  private readonly dialect: RollupDialect = {
    all: async (sql, params) => this.prepared(sql).all(...params) as Record<string, unknown>[],
    bucketsCte: (starts, ends) => ({
      sql: "buckets(i, s, e) AS (SELECT CAST(key AS INTEGER), json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?))",
      params: [JSON.stringify(starts.map((s, i) => [s, ends[i]]))],
    }),
    propsJoin: ", json_each(e.props) AS p",
    propValueText:
      "CASE p.type WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' WHEN 'null' THEN 'null' ELSE CAST(p.value AS TEXT) END",
    propText: (key) => `CAST(json_extract(props, '$.${key}') AS TEXT)`,
    pathMatch: sqlitePathMatch,
    rowsCte: (name, columns, rows) => ({
      sql: `${name}(${columns.map((c) => c[0]).join(", ")}) AS (SELECT ${columns
        .map((_, i) => `json_extract(value, '$[${i}]')`)
        .join(", ")} FROM json_each(?))`,
      params: [JSON.stringify(rows)],
    }),
    indexedBy: (index) => `INDEXED BY ${index}`,
    emptyTable: (table) => `DELETE FROM ${table}`,
    nullsFirst: true,
    jsonArray: (exprs) => `json_array(${exprs.join(", ")})`,
  };
}
