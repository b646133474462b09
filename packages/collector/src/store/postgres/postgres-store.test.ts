import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeConversions } from "../../../test/conversion-suite.js";
import { startThrowawayPostgres, type ThrowawayPostgres } from "../../../test/postgres.js";
import { describeRollups, ROLLUP_DUMP_SQL } from "../../../test/rollup-suite.js";
import { describeStore } from "../../../test/store-suite.js";
import { PostgresStore, toPgPlaceholders } from "./postgres-store.js";

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

describe("PostgreSQL migrations", () => {
  it("apply once when many collectors start at the same time", async () => {
    const url = await pg.createDatabase("concurrent");
    const stores = Array.from({ length: 5 }, () => new PostgresStore({ connectionString: url, max: 2 }));
    await Promise.all(stores.map((s) => s.migrate()));
    const first = stores[0] as PostgresStore;
    const { rows } = await first.pool.query("SELECT version FROM schema_migrations");
    expect(rows).toEqual([1, 2, 3, 4, 5, 6, 7].map((version) => ({ version })));
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
