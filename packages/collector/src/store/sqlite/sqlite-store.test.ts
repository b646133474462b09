import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openStore } from "../open-store.js";
import { describeRollups, ROLLUP_DUMP_SQL } from "../rollup-suite.js";
import { describeStore, storedEvent } from "../store-suite.js";
import { SqliteStore } from "./sqlite-store.js";

const dir = mkdtempSync(join(tmpdir(), "tracklet-sqlite-"));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeStore("SQLite", async (now) => {
  const store = new SqliteStore({ path: join(dir, `suite-${n++}.sqlite`), now });
  await store.migrate();
  return store;
});

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
    const versions = store.db.prepare("SELECT version FROM schema_migrations").all();
    expect(versions).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }]);
    await store.close();
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

  it("passes the integrity check on a fresh database", async () => {
    const store = new SqliteStore({ path: ":memory:" });
    expect(await store.integrityCheck()).toEqual({ ok: true, details: "ok" });
    await store.close();
  });
});
