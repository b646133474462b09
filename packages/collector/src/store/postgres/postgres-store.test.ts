import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { describeConversions } from "../../../test/conversion-suite.js";
import { generateEvents } from "../../../test/dashboard/seed.js";
import { startThrowawayPostgres, type ThrowawayPostgres } from "../../../test/postgres.js";
import { describeRollups, ROLLUP_DUMP_SQL } from "../../../test/rollup-suite.js";
import { describeStore } from "../../../test/store-suite.js";
import { POSTGRES_MIGRATIONS } from "./migrations.js";
import { PostgresStore, type PostgresStoreOptions, toPgPlaceholders } from "./postgres-store.js";

let pg: ThrowawayPostgres;
let n = 0;

beforeAll(async () => {
  pg = await startThrowawayPostgres();
}, 60_000);
afterAll(async () => {
  await pg?.stop();
});

describeStore("PostgreSQL", async (now) => {
  const url = await pg.createDatabase(`suite_${n++}`);
  const store = new PostgresStore({ connectionString: url, now });
  await store.migrate();
  return store;
});

describeConversions("PostgreSQL", async (now) => {
  const url = await pg.createDatabase(`conversions_${n++}`);
  const store = new PostgresStore({ connectionString: url, now, autoRollups: false });
  await store.migrate();
  return store;
});

describeRollups(
  "PostgreSQL",
  async (now) => {
    const url = await pg.createDatabase(`rollups_${n++}`);
    const store = new PostgresStore({ connectionString: url, now, autoRollups: false });
    await store.migrate();
    return store;
  },
  async (store) => {
    const pool = (store as PostgresStore).pool;
    const rows = [];
    for (const sql of Object.values(ROLLUP_DUMP_SQL)) rows.push((await pool.query(sql)).rows);
    return JSON.stringify(rows);
  },
);

/** Runs `fn` on a store over a database of its own (rollups built only when asked), closed afterwards. */
async function withFreshStore(
  name: string,
  options: Omit<PostgresStoreOptions, "connectionString">,
  fn: (store: PostgresStore) => Promise<void>,
): Promise<void> {
  const store = new PostgresStore({
    connectionString: await pg.createDatabase(`${name}_${n++}`),
    autoRollups: false,
    ...options,
  });
  try {
    await fn(store);
  } finally {
    await store.close();
  }
}

describe("PostgreSQL connections", () => {
  it("run without JIT compilation, which costs more than the stats queries it would speed up", async () => {
    await withFreshStore("jit", {}, async (store) => {
      const shown = await Promise.all([1, 2, 3].map(() => store.pool.query("SHOW jit")));
      expect(shown.map((r) => r.rows[0]?.jit)).toEqual(["off", "off", "off"]);
    });
  });
});

describe("PostgreSQL people rows", () => {
  it("carry what their counts read in their keys, so counting distinct people reads the index alone", async () => {
    await withFreshStore("people", {}, async (store) => {
      await store.migrate();
      const { rows } = await store.pool.query<{ indexdef: string }>(
        `SELECT indexdef FROM pg_indexes
          WHERE indexname IN ('stats_people_pkey', 'stats_people_hour_counts_pkey', 'stats_people_day_pkey') ORDER BY 1`,
      );
      expect(rows.map((r) => r.indexdef.replace(/^.* USING btree /, ""))).toEqual([
        "(site_id, dimension, value, day, previous_day) INCLUDE (people)",
        "(site_id, dimension, value, hour, previous_half, halves) INCLUDE (people)",
        "(site_id, dimension, value, hour, previous_half, person_id)",
      ]);
    });
  });
});

describe("PostgreSQL rollup backfills", () => {
  it("analyse the rollup tables along the way and the events at the end, so reads are not planned for empty tables", async () => {
    const end = new Date("2026-03-01T00:00:00Z");
    await withFreshStore("backfill", { now: () => end.getTime() + 3_600_000 }, async (store) => {
      await store.migrate();
      // One event every ~16 hours: each chunk starts at an event, so the backfill takes well over 8 chunks.
      await store.insertEvents(generateEvents({ events: 60, seed: 7, end, days: 40, sites: ["a.example"] }));
      let reports = 0;
      const analyses: string[] = [];
      const query = store.pool.query.bind(store.pool);
      vi.spyOn(store.pool, "query").mockImplementation(((sql: unknown, ...rest: unknown[]) => {
        if (typeof sql === "string" && sql.startsWith("ANALYZE")) analyses.push(`${reports}: ${sql}`);
        return (query as (...args: unknown[]) => unknown)(sql, ...rest);
      }) as typeof store.pool.query);
      await store.refreshRollups({ onProgress: () => reports++ });
      // The first report comes before any chunk, so the 8th chunk ends after 8 reports.
      expect(reports).toBeGreaterThan(9);
      expect(reports).toBeLessThan(64);
      expect(analyses).toEqual([
        "8: ANALYZE stats_people, stats_people_hour_counts, stats_people_day, stats_people_day_returning, stats_sessions, stats_counters, stats_journeys",
        `${reports}: ANALYZE events`,
      ]);
    });
  });
});

describe("PostgreSQL session starts", () => {
  it("joins a session another collector started within the timeout, else starts the one given", async () => {
    const store = new PostgresStore({
      connectionString: await pg.createDatabase(`starts_${n++}`),
      autoRollups: false,
    });
    await store.migrate();
    const claim = (visitorId: string, sessionId: string, ts: number) =>
      store.claimSessions([{ visitorId, sessionId, ts }], 1000);
    expect(await claim("v", "first", 10_000)).toEqual([{ visitorId: "v", sessionId: "first", ts: 10_000 }]);
    expect(await claim("v", "second", 10_900)).toEqual([{ visitorId: "v", sessionId: "first", ts: 10_000 }]);
    expect(await claim("v", "third", 11_001)).toEqual([{ visitorId: "v", sessionId: "third", ts: 11_001 }]);
    // Claims arriving together, in any order, each get the session of their visitor.
    const [x, y] = await Promise.all([
      store.claimSessions(
        [
          { visitorId: "b", sessionId: "b1", ts: 20_000 },
          { visitorId: "a", sessionId: "a1", ts: 20_000 },
        ],
        1000,
      ),
      store.claimSessions(
        [
          { visitorId: "a", sessionId: "a2", ts: 20_001 },
          { visitorId: "b", sessionId: "b2", ts: 20_001 },
        ],
        1000,
      ),
    ]);
    const sessionOf = (rows: typeof x, v: string) => rows.find((r) => r.visitorId === v)?.sessionId;
    expect(sessionOf(x, "a")).toBe(sessionOf(y, "a"));
    expect(sessionOf(x, "b")).toBe(sessionOf(y, "b"));
    await store.close();
  });
});

describe("PostgreSQL migrations", () => {
  it("apply once when many collectors start at the same time", async () => {
    const url = await pg.createDatabase("concurrent");
    const stores = Array.from({ length: 5 }, () => new PostgresStore({ connectionString: url, max: 2 }));
    await Promise.all(stores.map((s) => s.migrate()));
    const first = stores[0] as PostgresStore;
    const { rows } = await first.pool.query("SELECT version FROM schema_migrations ORDER BY version");
    expect(rows).toEqual(POSTGRES_MIGRATIONS.map(({ version }) => ({ version })));
    expect(await first.integrityCheck()).toEqual({ ok: true, details: "ok" });
    await Promise.all(stores.map((s) => s.close()));
  });

  it("share dashboard sessions between collectors on one database", async () => {
    const url = await pg.createDatabase("sessions");
    const [a, b] = [
      new PostgresStore({ connectionString: url }),
      new PostgresStore({ connectionString: url }),
    ];
    await a.migrate();
    await b.migrate();
    await a.createSession({ idHash: "h", tokenKey: "k", createdAt: 1, lastSeenAt: 2 });
    expect(await b.getSession("h")).toEqual({ idHash: "h", tokenKey: "k", createdAt: 1, lastSeenAt: 2 });
    await b.deleteSession("h");
    expect(await a.getSession("h")).toBeUndefined();
    await Promise.all([a.close(), b.close()]);
  });

  it("rewrites ? placeholders to $n", () => {
    expect(toPgPlaceholders("a = ? AND b IN (?, ?)")).toBe("a = $1 AND b IN ($2, $3)");
  });

  it("fails loudly when the server is unreachable", async () => {
    const store = new PostgresStore({ connectionString: "postgres://postgres@127.0.0.1:1/none" });
    await expect(store.migrate()).rejects.toThrow();
    await store.close();
  });
});
