import pg from "pg";
import { runInChunks } from "../../lifecycle/chunked-run.js";
import type { LongOperationOptions } from "../../lifecycle/long-operation.js";
import { DISTINCT_SITES_SQL } from "../../stats/distinct-sites-sql.js";
import { postgresPathMatch } from "../../stats/path-pattern.js";
import { computeStats } from "../../stats/raw/raw-stats.js";
import { HOUR_MS, LATE_INSERT_MS } from "../../stats/rollup/rollup-plan.js";
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
import { EVENT_COLUMNS, eventRow, type RecentSession } from "../columns.js";
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
import { MIGRATION_LOCK_KEY, POSTGRES_MIGRATIONS, ROLLUP_LOCK_KEY } from "./migrations.js";

const DESTINATION_COUNTS_SQL = destinationCountsSql((index) => `$${index}`);
const DOCUMENT_COUNTS_SQL = documentCountsSql((index) => `$${index}`);

export interface PostgresStoreOptions {
  /** `postgres://user:pass@host:port/db` */
  connectionString: string;
  /** Pool size (default 10). */
  max?: number;
  /** Clock for the `live` figures (tests). */
  now?: () => number;
  /** Keep the stats rollups up to date in the background (default true); `refreshRollups` works either way. */
  autoRollups?: boolean;
  /** Where background rollup failures are reported. */
  onError?: (message: string, err?: unknown) => void;
}

/** PostgreSQL column types of the events table, in `EVENT_COLUMNS` order. */
const COLUMN_TYPES: Record<(typeof EVENT_COLUMNS)[number], string> = {
  site: "text",
  type: "text",
  name: "text",
  ts: "bigint",
  client_ts: "bigint",
  url: "text",
  path: "text",
  title: "text",
  referrer: "text",
  referrer_source: "text",
  utm_source: "text",
  utm_medium: "text",
  utm_campaign: "text",
  visitor_id: "text",
  session_id: "text",
  user_id: "text",
  browser: "text",
  os: "text",
  device: "text",
  engaged_ms: "bigint",
  props: "jsonb",
};

/**
 * One INSERT per batch with a single parameter: the rows as a JSON array of arrays. `JSON.stringify` is native
 * and about three times cheaper on the event loop than `pg`'s escaping of one text array per column for
 * `unnest`; the server splits the rows with `jsonb_array_elements`. As `jsonb` the rows are parsed once:
 * with `json`, every `r->>i` scanned the row's text again, and a 10,000-row batch took 2-5 times longer.
 */
const INSERT_SQL = `INSERT INTO events (${EVENT_COLUMNS.join(", ")})
  SELECT ${EVENT_COLUMNS.map((c, i) => (COLUMN_TYPES[c] === "text" ? `r->>${i}` : `(r->>${i})::${COLUMN_TYPES[c]}`)).join(", ")}
    FROM jsonb_array_elements($1::jsonb) AS r`;

/** The same insert, also marking the hours of events received before `$2` stale for the stats rollups. */
const INSERT_LATE_SQL = `WITH ins AS (${INSERT_SQL} RETURNING site, ts)
  INSERT INTO stats_stale (site, hour)
  SELECT DISTINCT site, ts / ${HOUR_MS} FROM ins WHERE ts < $2 ON CONFLICT DO NOTHING`;

/**
 * `JSON.stringify` escapes a lone UTF-16 surrogate as `\\udXXX` and NUL as `\\u0000`, which PostgreSQL refuses
 * (text cannot hold either, and the whole batch would fail); both become U+FFFD, as a lone surrogate does on
 * any UTF-8 path. Paired surrogates are never escaped by `JSON.stringify`, and an escaped backslash before `u`
 * is left alone.
 */
const UNSTORABLE_ESCAPE = /(?<!\\)((?:\\\\)*)\\u(?:[dD][89a-fA-F][0-9a-fA-F]{2}|0000)/g;

function wellFormedJson(json: string): string {
  return json.includes("\\ud") || json.includes("\\uD") || json.includes("\\u0000")
    ? json.replace(UNSTORABLE_ESCAPE, "$1\\ufffd")
    : json;
}

const PROPS = EVENT_COLUMNS.indexOf("props");

/** `eventRow` with the props JSON made storable too (it is cast to jsonb on its own, inside the batch). */
function pgEventRow(e: StoredEvent): unknown[] {
  const row = eventRow(e);
  const props = row[PROPS];
  if (typeof props === "string" && props.includes("\\u")) row[PROPS] = wellFormedJson(props);
  return row;
}

/** Rewrites `?` placeholders to `$1…$n` (the shared stats SQL never contains a literal `?`). */
export function toPgPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/**
 * The scale-out store: many collectors share one PostgreSQL database. A pool (which replaces broken
 * connections), one multi-row INSERT per batch (rows as one JSON parameter), migrations under an advisory lock.
 */
/** Runs `fn` on one pooled connection inside `BEGIN` … `COMMIT`, rolled back when it throws. */
async function inClientTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

const ROLLUP_TABLES =
  "stats_people, stats_people_hour_counts, stats_people_day, stats_people_day_returning, stats_sessions, stats_counters, stats_journeys";

export class PostgresStore implements EventStore {
  readonly pool: pg.Pool;
  private readonly now: () => number;
  readonly rollups: StatsRollups;

  constructor(options: PostgresStoreOptions) {
    // The stats join short literal lists (json_array_elements, estimated at 100 rows) to millions of events, so
    // the planner's cost passes the JIT threshold and compiling took ~200 ms of a ~5 ms query. Options in the
    // connection string replace these.
    this.pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.max ?? 10,
      options: "-c jit=off",
    });
    // An idle client losing its connection must not crash the process; the pool drops it and reconnects.
    this.pool.on("error", () => {});
    this.now = options.now ?? Date.now;
    const host: RollupHost = {
      dialect: this.dialect,
      transaction: (fn, mode) => this.inTransaction(fn, mode),
      // Fresh rows are not yet in the visibility map: index-only scans would visit the heap until autovacuum. A
      // backfill usually follows a bulk load, which autovacuum may not have analysed yet: planned for the few
      // events it last saw, the raw parts of a stats read scanned every event of the site (~400 ms a view at
      // 300,000 events) instead of seeking each part's hours.
      afterBackfill: async () => {
        await this.pool.query(`VACUUM (ANALYZE) ${ROLLUP_TABLES}`);
        await this.pool.query("ANALYZE events");
      },
      // Until analysed, the planner takes a growing table for an empty one and looks up a person's previous hour
      // by walking every hour of the value (the primary key) instead of seeking it (the person index).
      duringBackfill: async () => {
        await this.pool.query(`ANALYZE ${ROLLUP_TABLES}`);
      },
      // Inserts never wait for a build transaction here (it writes only rollup tables, under an advisory lock),
      // so chunks are longer than SQLite's: fewer transactions and fewer previous-hour look-ups.
      chunkTargetMs: 500,
      chunkMaxHours: 48,
      ...(options.onError ? { onError: options.onError } : {}),
    };
    this.rollups = new StatsRollups(host, this.now);
    if (options.autoRollups ?? true) this.rollups.start();
  }

  /**
   * One transaction holding the rollup advisory lock, so collectors sharing the database take turns; with
   * `"try"`, undefined when another collector holds it.
   */
  private inTransaction<T>(
    fn: (run: RunSql) => Promise<T>,
    mode: "wait" | "try" = "wait",
  ): Promise<T | undefined> {
    return inClientTransaction(this.pool, async (client) => {
      if (mode === "try") {
        const { rows } = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_xact_lock($1) AS ok", [
          ROLLUP_LOCK_KEY,
        ]);
        if (!rows[0]?.ok) return undefined;
      } else {
        await client.query("SELECT pg_advisory_xact_lock($1)", [ROLLUP_LOCK_KEY]);
      }
      return fn(async (sql, params) => (await client.query(toPgPlaceholders(sql), params)).rows);
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
    return computeStats(this.dialect, query, this.now());
  }

  /** One transaction per pending migration, each under the migration lock (collectors may start at once). */
  async migrate(options: LongOperationOptions = {}): Promise<void> {
    const pending = async (client: pg.PoolClient) => {
      await client.query(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
      );
      const { rows } = await client.query<{ version: number }>("SELECT version FROM schema_migrations");
      const done = new Set(rows.map((r) => r.version));
      return POSTGRES_MIGRATIONS.filter((m) => !done.has(m.version));
    };
    const total = (
      await inClientTransaction(this.pool, async (client) => {
        await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK_KEY]);
        return pending(client);
      })
    ).length;
    const applyNext = () =>
      inClientTransaction(this.pool, async (client) => {
        await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK_KEY]);
        const [m] = await pending(client);
        if (!m) return false;
        await client.query(m.sql);
        await client.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)", [
          m.version,
          m.name,
          Date.now(),
        ]);
        return true;
      });
    await migrateInSteps(total, applyNext, options);
  }

  async insertEvents(events: StoredEvent[]): Promise<void> {
    if (events.length === 0) return;
    // A single statement is its own transaction: the whole batch lands or none of it. Events received over a
    // minute ago may land in hours the stats rollups hold: the same statement marks those hours stale.
    const rows = wellFormedJson(JSON.stringify(events.map(pgEventRow)));
    const lateBefore = Date.now() - LATE_INSERT_MS;
    if (events.some((e) => e.ts < lateBefore)) await this.pool.query(INSERT_LATE_SQL, [rows, lateBefore]);
    else await this.pool.query(INSERT_SQL, [rows]);
  }

  async recentSessions(visitorIds: string[], since: number): Promise<RecentSession[]> {
    if (visitorIds.length === 0) return [];
    const { rows } = await this.pool.query<{ visitor_id: string; session_id: string; ts: string }>(
      `SELECT DISTINCT ON (visitor_id) visitor_id, session_id, ts FROM events
        WHERE visitor_id = ANY($1::text[]) AND ts >= $2 ORDER BY visitor_id, ts DESC`,
      [visitorIds, since],
    );
    return rows.map((r) => ({ visitorId: r.visitor_id, sessionId: r.session_id, ts: Number(r.ts) }));
  }

  async claimSessions(starts: RecentSession[], timeoutMs: number): Promise<RecentSession[]> {
    if (starts.length === 0) return [];
    // The row lock on each visitor orders collectors claiming at once: the later one joins the earlier session.
    // Sorted, so two collectors claiming overlapping visitors lock them in the same order (no deadlock).
    starts = [...starts].sort((a, b) => (a.visitorId < b.visitorId ? -1 : a.visitorId > b.visitorId ? 1 : 0));
    const { rows } = await this.pool.query<{ visitor_id: string; session_id: string; ts: string }>(
      `INSERT INTO session_starts AS s (visitor_id, session_id, ts)
         SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])
       ON CONFLICT (visitor_id) DO UPDATE SET
         session_id = CASE WHEN s.ts < EXCLUDED.ts - $4 THEN EXCLUDED.session_id ELSE s.session_id END,
         ts = CASE WHEN s.ts < EXCLUDED.ts - $4 THEN EXCLUDED.ts ELSE s.ts END
       RETURNING visitor_id, session_id, ts`,
      [starts.map((c) => c.visitorId), starts.map((c) => c.sessionId), starts.map((c) => c.ts), timeoutMs],
    );
    await this.pruneSessionStarts(starts, timeoutMs);
    return rows.map((r) => ({ visitorId: r.visitor_id, sessionId: r.session_id, ts: Number(r.ts) }));
  }

  private sessionStartsPrunedAt = Number.NEGATIVE_INFINITY;

  /** A start older than the timeout decides nothing: drops those, at most once a minute. */
  private async pruneSessionStarts(starts: RecentSession[], timeoutMs: number): Promise<void> {
    const newest = Math.max(...starts.map((c) => c.ts));
    if (newest - this.sessionStartsPrunedAt < 60_000) return;
    this.sessionStartsPrunedAt = newest;
    await this.pool.query("DELETE FROM session_starts WHERE ts < $1", [newest - 2 * timeoutMs]);
  }

  async getMeta(key: string): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ value: string }>("SELECT value FROM meta WHERE key = $1", [key]);
    return rows[0]?.value;
  }

  async setMeta(key: string, value: string): Promise<void> {
    await this.pool.query(
      "INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
      [key, value],
    );
  }

  async setMetaIfAbsent(key: string, value: string): Promise<string> {
    await this.pool.query("INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING", [
      key,
      value,
    ]);
    const stored = await this.getMeta(key);
    return stored ?? value;
  }

  async deleteMeta(key: string): Promise<void> {
    await this.pool.query("DELETE FROM meta WHERE key = $1", [key]);
  }

  async createSession(session: DashboardSession): Promise<void> {
    await this.pool.query(
      "INSERT INTO dashboard_sessions (id_hash, token_key, created_at, last_seen_at) VALUES ($1, $2, $3, $4)",
      [session.idHash, session.tokenKey, session.createdAt, session.lastSeenAt],
    );
  }

  async getSession(idHash: string): Promise<DashboardSession | undefined> {
    const { rows } = await this.pool.query<{ token_key: string; created_at: string; last_seen_at: string }>(
      "SELECT token_key, created_at, last_seen_at FROM dashboard_sessions WHERE id_hash = $1",
      [idHash],
    );
    const row = rows[0];
    return (
      row && {
        idHash,
        tokenKey: row.token_key,
        createdAt: Number(row.created_at),
        lastSeenAt: Number(row.last_seen_at),
      }
    );
  }

  async touchSession(idHash: string, lastSeenAt: number): Promise<void> {
    await this.pool.query("UPDATE dashboard_sessions SET last_seen_at = $1 WHERE id_hash = $2", [
      lastSeenAt,
      idHash,
    ]);
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.pool.query("DELETE FROM dashboard_sessions WHERE id_hash = $1", [idHash]);
  }

  async pruneSessions(tokenKey: string, createdBefore: number, seenBefore: number): Promise<number> {
    const result = await this.pool.query(
      "DELETE FROM dashboard_sessions WHERE token_key <> $1 OR created_at < $2 OR last_seen_at < $3",
      [tokenKey, createdBefore, seenBefore],
    );
    return result.rowCount ?? 0;
  }

  async deleteOlderThan(cutoff: Date, options: LongOperationOptions = {}): Promise<number> {
    // Rollups first, so no stats answer mixes trimmed rollups with deleted events.
    await this.rollups.trim(cutoff);
    const before = cutoff.getTime();
    // Per site, so each chunk is a range on the (site, ts) index.
    const sites = (await this.pool.query<{ site: string }>(DISTINCT_SITES_SQL)).rows.map((r) => r.site);
    let total = 0;
    for (const site of sites) {
      const { rows } = await this.pool.query<{ n: string }>(
        "SELECT COUNT(*) AS n FROM events WHERE site = $1 AND ts < $2",
        [site, before],
      );
      total += Number(rows[0]?.n ?? 0);
    }
    let site = 0;
    // Each chunk starts where the last one ended: deleted rows stay in the index until vacuum, and a scan from the
    // start of the range would step over all of them again.
    let from = Number.MIN_SAFE_INTEGER;
    const deleted = await runInChunks(
      {
        task: "retention",
        total,
        chunk: async (limit) => {
          const { rows } = await this.pool.query<{ n: string; last: string | null }>(
            `WITH d AS (DELETE FROM events WHERE id IN (SELECT id FROM events WHERE site = $1 AND ts >= $2 AND ts < $3
                          ORDER BY ts LIMIT $4) RETURNING ts)
             SELECT COUNT(*) AS n, MAX(ts) AS last FROM d`,
            [sites[site], from, before, limit],
          );
          const n = Number(rows[0]?.n ?? 0);
          if (n < limit) {
            site++;
            from = Number.MIN_SAFE_INTEGER;
          } else from = Number(rows[0]?.last);
          return { done: n, finished: site >= sites.length };
        },
      },
      options,
    );
    await this.pool.query("DELETE FROM session_starts WHERE ts < $1", [before]);
    await this.pool.query(DESTINATION_COUNTS_SQL.deleteBefore, [before]);
    await this.pool.query(DOCUMENT_COUNTS_SQL.deleteBefore, [before]);
    return deleted;
  }

  async eraseUser(userId: string, options: LongOperationOptions = {}): Promise<number> {
    // The user's rows, plus the anonymous rows of the same daily visitor hashes (before sign-in, same device).
    // Anonymous rows go first: the user's own rows are what names the visitor hashes when an interrupted erasure
    // runs again.
    const visitors = (
      await this.pool.query<{ visitor_id: string }>(
        "SELECT DISTINCT visitor_id FROM events WHERE user_id = $1",
        [userId],
      )
    ).rows.map((r) => r.visitor_id);
    const mine = "user_id = $1 OR (user_id IS NULL AND visitor_id = ANY($2::text[]))";
    const { rows: firsts } = await this.pool.query<{ site: string; ts: string; n: string }>(
      `SELECT site, MIN(ts) AS ts, COUNT(*) AS n FROM events WHERE ${mine} GROUP BY site`,
      [userId, visitors],
    );
    const total = firsts.reduce((sum, r) => sum + Number(r.n), 0);
    let anonymousLeft = visitors.length > 0;
    let erased = 0;
    try {
      await runInChunks(
        {
          task: "erasure",
          total,
          chunk: async (limit) => {
            const res = anonymousLeft
              ? await this.pool.query(
                  `DELETE FROM events WHERE id IN (SELECT id FROM events
                    WHERE user_id IS NULL AND visitor_id = ANY($1::text[]) LIMIT $2)`,
                  [visitors, limit],
                )
              : await this.pool.query(
                  "DELETE FROM events WHERE id IN (SELECT id FROM events WHERE user_id = $1 LIMIT $2)",
                  [userId, limit],
                );
            const n = res.rowCount ?? 0;
            erased += n;
            if (n >= limit) return { done: n, finished: false };
            if (anonymousLeft) {
              anonymousLeft = false;
              return { done: n, finished: false };
            }
            return { done: n, finished: true };
          },
        },
        options,
      );
    } finally {
      // Finished or interrupted: the rollups from the first hour the erasure touched are rebuilt from the remaining
      // events by the next pass, and the erased people leave the rollups' person table.
      if (erased > 0) {
        await this.inTransaction(async (run) => {
          for (const r of firsts) await StatsRollups.rewind(run, r.site, Number(r.ts));
          await run("DELETE FROM stats_persons WHERE key = ANY(?::text[])", [[userId, ...visitors]]);
          await run("DELETE FROM session_starts WHERE visitor_id = ANY(?::text[])", [visitors]);
        });
        this.rollups.kick(true);
      }
    }
    return erased;
  }

  async countEvents(site?: string): Promise<number> {
    const { rows } =
      site === undefined
        ? await this.pool.query<{ n: string }>("SELECT COUNT(*) AS n FROM events")
        : await this.pool.query<{ n: string }>("SELECT COUNT(*) AS n FROM events WHERE site = $1", [site]);
    return Number(rows[0]?.n ?? 0);
  }

  async integrityCheck(): Promise<{ ok: boolean; details: string }> {
    const problems: string[] = [];
    const { rows: tables } = await this.pool.query<{ name: string }>(
      "SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relname IN ('events', 'meta', 'schema_migrations')",
    );
    for (const t of ["events", "meta", "schema_migrations"]) {
      if (!tables.some((r) => r.name === t)) problems.push(`table ${t} is missing`);
    }
    const { rows: invalid } = await this.pool.query<{ name: string }>(
      "SELECT c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid WHERE t.relname = 'events' AND NOT (i.indisvalid AND i.indisready)",
    );
    for (const r of invalid) problems.push(`index ${r.name} is invalid`);
    const { rows: versions } = await this.pool.query<{ v: number | null }>(
      "SELECT MAX(version) AS v FROM schema_migrations",
    );
    const latest = POSTGRES_MIGRATIONS[POSTGRES_MIGRATIONS.length - 1]?.version ?? 0;
    if ((versions[0]?.v ?? 0) < latest)
      problems.push(`schema is at version ${versions[0]?.v ?? 0}, expected ${latest}`);
    return { ok: problems.length === 0, details: problems.length === 0 ? "ok" : problems.join("; ") };
  }

  async stats(query: StatsQuery): Promise<StatsResult> {
    return this.rollups.stats(query);
  }

  async addDestinationCounts(rows: DestinationHourCounts[]): Promise<void> {
    await inClientTransaction(this.pool, async (client) => {
      for (const r of rows) {
        await client.query(DESTINATION_COUNTS_SQL.add, [
          r.destination,
          r.hour,
          r.collected,
          r.forwarded,
          r.failed,
          r.dropped,
        ]);
      }
    });
  }

  async destinationCounts(from: Date, to: Date): Promise<DestinationCounts[]> {
    const { rows } = await this.pool.query<Record<keyof DestinationCounts, string>>(
      DESTINATION_COUNTS_SQL.range,
      [firstHourFrom(from), to.getTime()],
    );
    // SUM of BIGINT is NUMERIC, which pg returns as text.
    return rows.map((r) => ({
      destination: r.destination,
      collected: Number(r.collected),
      forwarded: Number(r.forwarded),
      failed: Number(r.failed),
      dropped: Number(r.dropped),
    }));
  }

  async addDocumentCounts(rows: DocumentHourCounts[]): Promise<void> {
    await inClientTransaction(this.pool, async (client) => {
      for (const r of rows) {
        await client.query(DOCUMENT_COUNTS_SQL.add, [r.site, r.path, r.hour, r.served, r.reported]);
      }
    });
  }

  async documentCounts(site: string, from: Date, to: Date): Promise<PageCoverage[]> {
    const { rows } = await this.pool.query<Record<keyof PageCoverage, string>>(DOCUMENT_COUNTS_SQL.range, [
      site,
      firstHourFrom(from),
      to.getTime(),
    ]);
    // SUM of BIGINT is NUMERIC, which pg returns as text.
    return rows.map((r) => ({ path: r.path, served: Number(r.served), reported: Number(r.reported) }));
  }

  async sites(): Promise<string[]> {
    // A loose index scan over (site, ts): one index probe per distinct site instead of reading every row.
    const { rows } = await this.pool.query<{ site: string }>(
      `WITH RECURSIVE s(site) AS (
         (SELECT site FROM events ORDER BY site LIMIT 1)
         UNION ALL
         SELECT (SELECT e.site FROM events e WHERE e.site > s.site ORDER BY e.site LIMIT 1) FROM s WHERE s.site IS NOT NULL
       ) SELECT site FROM s WHERE site IS NOT NULL`,
    );
    return rows.map((r) => r.site);
  }

  async topSites(limit: number): Promise<SitePageviews[]> {
    return rankSites(this.dialect.all, this.now(), limit);
  }

  private closed = false;

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.rollups.stop();
    await this.pool.end();
  }

  private readonly dialect: RollupDialect = {
    all: async (sql, params) => (await this.pool.query(toPgPlaceholders(sql), params)).rows,
    bucketsCte: (starts, ends) => ({
      sql: "buckets(i, s, e) AS (SELECT (b.ord - 1)::int, b.s, b.e FROM unnest(?::bigint[], ?::bigint[]) WITH ORDINALITY AS b(s, e, ord))",
      params: [starts, ends],
    }),
    propsJoin: "CROSS JOIN LATERAL jsonb_each_text(e.props) AS p(key, value)",
    propValueText: "COALESCE(p.value, 'null')",
    propText: (key) => `(props ->> '${key}')`,
    pathMatch: postgresPathMatch,
    rowsCte: (name, columns, rows) => ({
      sql: `${name}(${columns.map((c) => c[0]).join(", ")}) AS (SELECT ${columns
        .map(([, type], i) => (type === "int" ? `(v->>${i})::bigint` : `(v->>${i})`))
        .join(", ")} FROM json_array_elements(?::json) AS t(v))`,
      params: [JSON.stringify(rows)],
    }),
    indexedBy: () => "",
    emptyTable: (table) => `TRUNCATE ${table}`,
    nullsFirst: false,
    jsonArray: (exprs) => `json_build_array(${exprs.join(", ")})::text`,
  };
}
