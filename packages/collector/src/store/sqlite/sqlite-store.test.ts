import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openStore } from "../open-store.js";
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

describe("SQLite file", () => {
  it("uses WAL and records applied migrations", async () => {
    const path = join(dir, "wal.sqlite");
    const store = new SqliteStore({ path });
    expect(store.db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(store.db.pragma("synchronous", { simple: true })).toBe(1);
    const versions = store.db.prepare("SELECT version FROM schema_migrations").all();
    expect(versions).toEqual([{ version: 1 }]);
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

  it("passes the integrity check on a fresh database", async () => {
    const store = new SqliteStore({ path: ":memory:" });
    expect(await store.integrityCheck()).toEqual({ ok: true, details: "ok" });
    await store.close();
  });
});
