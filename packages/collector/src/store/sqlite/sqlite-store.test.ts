import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { describeConversions } from "../../../test/conversion-suite.js";
import { describeRollups, ROLLUP_DUMP_SQL, randomEvents } from "../../../test/rollup-suite.js";
import { describeStore, storedEvent } from "../../../test/store-suite.js";
import { OperationInterrupted } from "../../lifecycle/long-operation.js";
import { parseConversionMatch } from "../../stats/conversion-match.js";
import { openStore } from "../open-store.js";
import { VISITOR_SESSIONS_KEEP_MS } from "./insert-rows.js";
import { SQLITE_MIGRATIONS } from "./migrations.js";
import { SqliteStore } from "./sqlite-store.js";

const dir = mkdtempSync(join(tmpdir(), "tracklet-sqlite-"));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A database file as a release at migration `version` left it, to test migrating it. */
function databaseAtVersion(path: string, version: number): Database.Database {
  const db = new Database(path);
  db.exec(
    "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)",
  );
  for (const m of SQLITE_MIGRATIONS.filter((x) => x.version <= version)) {
    db.exec(m.sql);
    db.prepare("INSERT INTO schema_migrations VALUES (?, ?, 0)").run(m.version, m.name);
  }
  return db;
}

describeStore("SQLite", async (now) => {
  const store = new SqliteStore({ path: join(dir, `suite-${n++}.sqlite`), now });
  await store.migrate();
  return store;
});

describeConversions(
  "SQLite",
  async (now) => new SqliteStore({ path: join(dir, `conversions-${n++}.sqlite`), now, autoRollups: false }),
);

describeRollups(
  "SQLite",
  async (now) => new SqliteStore({ path: join(dir, `rollups-${n++}.sqlite`), now, autoRollups: false }),
  async (store) => {
    const db = (store as SqliteStore).db;
    return JSON.stringify(Object.values(ROLLUP_DUMP_SQL).map((sql) => db.prepare(sql).all()));
  },
);

describe("SQLite file", () => {
  it("uses WAL and records applied migrations", async () => {
    const path = join(dir, "wal.sqlite");
    const store = new SqliteStore({ path });
    expect(store.db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(store.db.pragma("synchronous", { simple: true })).toBe(1);
    // Rollup chunks dirty thousands of pages: checkpointing at the default 1,000 made most of their commits copy the WAL.
    expect(store.db.pragma("wal_autocheckpoint", { simple: true })).toBe(10_000);
    // The WAL reached 690 MB in the 10 M-event bench; it is truncated back at the next checkpoint.
    expect(store.db.pragma("journal_size_limit", { simple: true })).toBe(64 * 1024 * 1024);
    const versions = store.db.prepare("SELECT version FROM schema_migrations").all();
    expect(versions).toEqual(SQLITE_MIGRATIONS.map(({ version }) => ({ version })));
    await store.close();
  });

  it("applies migrations one transaction each, stopping between two when asked; a rerun applies the rest", async () => {
    const path = join(dir, "migrate-steps.sqlite");
    const stop = new AbortController();
    const reports: string[] = [];
    const first = new SqliteStore({ path, migrations: "migrate" });
    const interrupted = first.migrate({
      signal: stop.signal,
      onProgress: (p) => {
        reports.push(`${p.done}/${p.total}`);
        if (p.done === 3) stop.abort();
      },
    });
    await expect(interrupted).rejects.toThrow(OperationInterrupted);
    const total = SQLITE_MIGRATIONS.length;
    expect(reports).toEqual([0, 1, 2, 3].map((done) => `${done}/${total}`));
    expect(first.db.prepare("SELECT version FROM schema_migrations").all()).toEqual([
      { version: 1 },
      { version: 2 },
      { version: 3 },
    ]);
    await first.close();

    const second = new SqliteStore({ path, migrations: "migrate" });
    const resumed: string[] = [];
    await second.migrate({ onProgress: (p) => resumed.push(`${p.done}/${p.total}`) });
    const rest = total - 3;
    expect(resumed).toEqual(Array.from({ length: rest + 1 }, (_, done) => `${done}/${rest}`));
    await second.insertEvents([storedEvent({ visitorId: "v", sessionId: "s", ts: Date.now() })]);
    expect(await second.countEvents()).toBe(1);
    await second.close();
  });

  it("keeps dashboard sessions across a restart", async () => {
    const path = join(dir, "sessions.sqlite");
    const first = new SqliteStore({ path });
    await first.createSession({ idHash: "h", tokenKey: "k", createdAt: 1, lastSeenAt: 2 });
    await first.close();
    const second = new SqliteStore({ path });
    expect(await second.getSession("h")).toEqual({ idHash: "h", tokenKey: "k", createdAt: 1, lastSeenAt: 2 });
    await second.close();
  });

  it("is opened by openStore from a path, creating its directory", async () => {
    const path = join(dir, "nested", "deeper", "t.sqlite");
    const store = await openStore(path);
    await store.insertEvents([storedEvent({ visitorId: "v", sessionId: "s", ts: 1 })]);
    expect(await store.countEvents()).toBe(1);
    await store.close();
    expect(readFileSync(path).length).toBeGreaterThan(0);
  });

  it("writes on the writer thread: rows are readable here once insertEvents resolves, and close leaves no WAL", async () => {
    const path = join(dir, "thread.sqlite");
    const store = new SqliteStore({ path });
    const batch = Array.from({ length: 130 }, (_, i) =>
      storedEvent({ visitorId: `v${i % 7}`, sessionId: "s", ts: i, props: { i } }),
    );
    await Promise.all([store.insertEvents(batch.slice(0, 65)), store.insertEvents(batch.slice(65))]);
    expect(await store.countEvents()).toBe(130);
    const props = store.db.prepare("SELECT props FROM events ORDER BY ts").all() as Array<{ props: string }>;
    expect(props.map((r) => JSON.parse(r.props).i)).toEqual(batch.map((_, i) => i));
    await store.close();
    expect(existsSync(`${path}-wal`)).toBe(false);
    await expect(store.insertEvents(batch.slice(0, 1))).rejects.toThrow(/not open/);
  });

  it("stores every row of a batch in order, whatever its size against the rows per statement", async () => {
    const store = new SqliteStore({ path: join(dir, `sizes-${n++}.sqlite`) });
    const sizes = [1, 3, 4, 5, 8, 9, 13];
    let i = 0;
    const expected: unknown[] = [];
    for (const size of sizes) {
      const batch = Array.from({ length: size }, () => {
        const k = i++;
        const e = storedEvent({
          visitorId: `v${k % 3}`,
          sessionId: `s${k}`,
          ts: 1_700_000_000_000 + k,
          path: `/p${k}`,
          engagedMs: k % 2 ? k : null,
          props: k % 4 ? null : { k },
        });
        expected.push({
          path: e.path,
          session_id: e.sessionId,
          engaged_ms: e.engagedMs,
          props: e.props && JSON.stringify(e.props),
        });
        return e;
      });
      await store.insertEvents(batch);
    }
    expect(
      store.db.prepare("SELECT path, session_id, engaged_ms, props FROM events ORDER BY id").all(),
    ).toEqual(expected);
    await store.close();
  });

  it("stores a lone surrogate as U+FFFD on either writer, in every column and row that carries it", async () => {
    for (const options of [{ path: ":memory:" }, { path: join(dir, `surrogates-${n++}.sqlite`) }]) {
      const store = new SqliteStore(options);
      const lone = "a\ud800b";
      await store.insertEvents([
        storedEvent({ title: lone, path: "/p\udc00", visitorId: "v1", sessionId: "s1", ts: 1 }),
        storedEvent({ title: lone, referrer: lone, visitorId: "v2", sessionId: "s2", ts: 2 }),
      ]);
      const rows = store.db.prepare("SELECT title, path, referrer FROM events ORDER BY ts").all();
      expect(rows).toEqual([
        { title: "a\ufffdb", path: "/p\ufffd", referrer: null },
        { title: "a\ufffdb", path: null, referrer: "a\ufffdb" },
      ]);
      await store.close();
    }
  });

  it("passes the integrity check on a fresh database", async () => {
    const store = new SqliteStore({ path: ":memory:" });
    expect(await store.integrityCheck()).toEqual({ ok: true, details: "ok" });
    await store.close();
  });
});

describe("SQLite recent visitor sessions", () => {
  const HOUR = 3_600_000;
  const visitorRows = (store: SqliteStore) =>
    store.db.prepare("SELECT visitor_id, session_id, ts FROM visitor_sessions ORDER BY visitor_id").all();
  afterEach(() => {
    vi.useRealTimers();
  });

  it("keeps each visitor's latest event, whatever order a batch brings them in", async () => {
    const store = new SqliteStore({ path: ":memory:" });
    const t = Date.UTC(2030, 0, 1);
    await store.insertEvents([
      storedEvent({ visitorId: "a", sessionId: "a2", ts: t + 20 }),
      storedEvent({ visitorId: "a", sessionId: "a1", ts: t + 10 }),
      storedEvent({ visitorId: "b", sessionId: "b1", ts: t + 5 }),
    ]);
    // A late batch with an older event does not move a visitor back.
    await store.insertEvents([storedEvent({ visitorId: "a", sessionId: "a0", ts: t })]);
    expect(visitorRows(store)).toEqual([
      { visitor_id: "a", session_id: "a2", ts: t + 20 },
      { visitor_id: "b", session_id: "b1", ts: t + 5 },
    ]);
    expect(await store.recentSessions(["a", "b", "c"], t + 6)).toEqual([
      { visitorId: "a", sessionId: "a2", ts: t + 20 },
    ]);
    await store.close();
  });

  it("forgets visitors far behind the newest event, at most once a minute", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.UTC(2030, 0, 1));
    const store = new SqliteStore({ path: ":memory:" });
    const t = Date.UTC(2030, 0, 1);
    await store.insertEvents([storedEvent({ visitorId: "old", sessionId: "o", ts: t })]);
    const later = t + VISITOR_SESSIONS_KEEP_MS + HOUR;
    await store.insertEvents([storedEvent({ visitorId: "new", sessionId: "n", ts: later })]);
    // The first batch pruned a moment ago: the next prune waits a minute.
    expect(visitorRows(store)).toHaveLength(2);
    vi.setSystemTime(Date.UTC(2030, 0, 1) + 61_000);
    await store.insertEvents([storedEvent({ visitorId: "new", sessionId: "n", ts: later + 1 })]);
    expect(visitorRows(store)).toEqual([{ visitor_id: "new", session_id: "n", ts: later + 1 }]);
    await store.close();
  });

  it("retention deletes recent-session rows older than its cutoff, with the events", async () => {
    const store = new SqliteStore({ path: ":memory:" });
    const t = Date.UTC(2030, 0, 1);
    await store.insertEvents([
      storedEvent({ visitorId: "a", sessionId: "a1", ts: t }),
      storedEvent({ visitorId: "b", sessionId: "b1", ts: t + HOUR }),
    ]);
    expect(await store.deleteOlderThan(new Date(t + 1))).toBe(1);
    expect(visitorRows(store)).toEqual([{ visitor_id: "b", session_id: "b1", ts: t + HOUR }]);
    await store.close();
  });

  it("migrating a version-3 file fills the table from the last 6 hours and drops the visitor index", async () => {
    const path = join(dir, "v3.sqlite");
    const old = databaseAtVersion(path, 3);
    const insert = old.prepare(
      "INSERT INTO events (site, type, ts, visitor_id, session_id) VALUES (?, 'pageview', ?, ?, ?)",
    );
    const now = Date.now();
    insert.run("a.test", now - 2 * HOUR, "v1", "s-early");
    insert.run("a.test", now - HOUR, "v1", "s-late");
    insert.run("b.test", now - 3 * HOUR, "v2", "s2");
    insert.run("a.test", now - 7 * HOUR, "v3", "s3");
    old.close();

    const store = new SqliteStore({ path, writer: "inline" });
    expect(visitorRows(store)).toEqual([
      { visitor_id: "v1", session_id: "s-late", ts: now - HOUR },
      { visitor_id: "v2", session_id: "s2", ts: now - 3 * HOUR },
    ]);
    const indexes = store.db.prepare(
      "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events'",
    );
    expect(indexes.all().map((r) => (r as { name: string }).name)).not.toContain("events_visitor_ts");
    await store.close();
  });
});

describe("SQLite rollup statements", () => {
  const HOUR = 3_600_000;
  const DAY = 24 * HOUR;
  const start = Date.UTC(2025, 2, 25);

  /** Builds rollups of random events, reads a week by day in Kolkata, then rewinds: the statements `pick` keeps. */
  async function statementsOf(pick: (sql: string) => boolean) {
    const store = new SqliteStore({
      path: join(dir, "plans.sqlite"),
      writer: "inline",
      autoRollups: false,
      now: () => start + 10 * DAY,
    });
    const prepare = store.db.prepare.bind(store.db);
    const statements = new Set<string>();
    vi.spyOn(store.db, "prepare").mockImplementation((sql: string) => {
      if (pick(sql)) statements.add(sql);
      return prepare(sql);
    });
    await store.insertEvents(randomEvents(5, 300));
    await store.refreshRollups();
    await store.stats({
      site: "r.test",
      from: new Date(start + 2 * DAY - 5.5 * HOUR),
      to: new Date(start + 8 * DAY - 5.5 * HOUR),
      interval: "day",
      timezone: "Asia/Kolkata",
      limit: 10,
      searchEvents: [],
    });
    await store.rebuildRollups(new Date(start + 4 * DAY));
    vi.restoreAllMocks();
    // Parameters as literals: EXPLAIN needs every one bound, and the plan is the same for any number.
    const planOf = (sql: string) =>
      (prepare(`EXPLAIN QUERY PLAN ${sql.replaceAll("?", "0")}`).all() as Array<{ detail: string }>).map(
        (step) => step.detail,
      );
    const plans = [...statements].map((sql) => ({ sql, plan: planOf(sql) }));
    await store.close();
    return plans;
  }

  it("never scan the whole returning-people table: reads seek its key, rewinds its index by day", async () => {
    const plans = await statementsOf((sql) => sql.includes("stats_people_day_returning"));
    // A build's insert, a read's sum and a rewind's delete.
    expect(plans.map(({ sql }) => sql.trim().split(/\s+/)[0])).toEqual(
      expect.arrayContaining(["INSERT", "WITH", "DELETE"]),
    );
    for (const { sql, plan } of plans) {
      // A scan, or a search on the site alone, reads every row of the site.
      const scans = plan.filter((detail) =>
        /^(SCAN (stats_people_day_returning|r)\b|SEARCH (stats_people_day_returning|r) .*\(site_id=\?\)$)/.test(
          detail,
        ),
      );
      expect(scans, sql).toEqual([]);
    }
  });

  it("read the people rows of a range's last hours one search per hour, previous half hours bounded", async () => {
    const plans = await statementsOf((sql) => sql.includes("tail_offsets"));
    expect(plans).toHaveLength(1);
    const people = plans[0]?.plan.filter((detail) => / p\b/.test(detail));
    expect(people).toEqual([
      "SEARCH p USING PRIMARY KEY (site_id=? AND dimension=? AND value=? AND hour=? AND previous_half>? AND previous_half<?)",
    ]);
  });
});

describe("SQLite rollup migration", () => {
  const HOUR = 3_600_000;
  const DAY = 24 * HOUR;
  it("migrating a version-4 file drops the old rollup tables and rebuilds rollups under the plain names", async () => {
    const path = join(dir, "v4.sqlite");
    const old = databaseAtVersion(path, 4);
    const now = Date.now();
    const insert = old.prepare(
      "INSERT INTO events (site, type, path, ts, visitor_id, session_id) VALUES ('a.test', 'pageview', ?, ?, ?, ?)",
    );
    insert.run("/", now - 5 * HOUR, "v1", "s1");
    insert.run("/b", now - 4 * HOUR, "v2", "s2");
    old.exec("INSERT INTO stats_sites VALUES ('a.test', 1, 0, 0)");
    old.exec("INSERT INTO stats_counts VALUES (1, 'T', 1, '', '', '', 99, 0, 0)");
    old.close();

    const store = new SqliteStore({ path, writer: "inline", autoRollups: false });
    const tables = () =>
      store.db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'stats_%'")
        .all()
        .map((r) => (r as { name: string }).name);
    expect(tables()).not.toContain("stats_counts");
    expect(tables()).toContain("stats_counters");
    await store.refreshRollups();
    const counters = store.db.prepare("SELECT DISTINCT counter FROM stats_counters ORDER BY counter").all();
    expect(counters).toContainEqual({ counter: "pages" });
    const query = {
      site: "a.test",
      from: new Date(now - DAY),
      to: new Date(now),
      interval: "hour" as const,
      timezone: "UTC",
      limit: 10,
      searchEvents: [],
    };
    const stats = await store.stats(query);
    expect(stats.totals.pageviews).toBe(2);
    expect(stats).toEqual(await store.scanStats(query));
    await store.close();
  });

  it("migrating a version-9 file rebuilds its rollups, journeys included", async () => {
    const path = join(dir, "v9.sqlite");
    const old = databaseAtVersion(path, 9);
    const now = Date.now();
    const insert = old.prepare(
      "INSERT INTO events (site, type, path, ts, visitor_id, session_id) VALUES ('a.test', 'pageview', ?, ?, ?, ?)",
    );
    insert.run("/pricing", now - 5 * HOUR, "v1", "s1");
    insert.run("/pricing", now - 4 * HOUR, "v2", "s2");
    // Rollups built before the journeys existed: every hour marked built, no journey rows.
    old.prepare("INSERT INTO stats_sites VALUES ('a.test', 1, ?, 0)").run(Math.floor(now / HOUR) - 1);
    old.close();

    const store = new SqliteStore({ path, writer: "inline", autoRollups: false });
    await store.refreshRollups();
    const pricing = parseConversionMatch("page:/pricing");
    if ("error" in pricing) throw new Error(pricing.error);
    const query = {
      site: "a.test",
      from: new Date(Math.floor((now - DAY) / HOUR) * HOUR),
      to: new Date(Math.floor(now / HOUR) * HOUR - HOUR),
      interval: "hour" as const,
      timezone: "UTC",
      limit: 10,
      searchEvents: [],
      goals: [{ name: "pricing", match: pricing }],
    };
    expect((await store.stats(query)).goals.map((g) => g.visitors)).toEqual([2]);
    expect(store.db.prepare("SELECT COUNT(*) AS n FROM stats_journeys").get()).toEqual({ n: 2 });
    await store.close();
  });
});
