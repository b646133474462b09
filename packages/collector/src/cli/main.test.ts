import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startThrowawayPostgres, type ThrowawayPostgres } from "../../test/postgres.js";
import { randomEvents } from "../../test/rollup-suite.js";
import { storedEvent } from "../../test/store-suite.js";
import { SqliteStore } from "../store/sqlite/sqlite-store.js";
import { type CliIo, main } from "./main.js";

const dir = mkdtempSync(join(tmpdir(), "tracklet-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function io(env: Record<string, string | undefined> = {}): CliIo & { stdout: string; stderr: string } {
  const out = { stdout: "", stderr: "" };
  return Object.assign(out, {
    out: (t: string) => {
      out.stdout += t;
    },
    err: (t: string) => {
      out.stderr += t;
    },
    env,
  });
}

const DAY = 86_400_000;

async function seed(path: string) {
  const store = new SqliteStore({ path });
  const now = Date.now();
  await store.insertEvents([
    storedEvent({ visitorId: "a", sessionId: "s", ts: now - 100 * DAY }),
    storedEvent({ visitorId: "a", sessionId: "s", ts: now - 1000, userId: "alice" }),
    storedEvent({ visitorId: "b", sessionId: "t", ts: now - 1000, site: "other.org" }),
  ]);
  await store.close();
}

describe("tracklet-collector", () => {
  it("prints usage and exits 2 without a command or with an unknown one", async () => {
    const a = io();
    expect(await main([], a)).toBe(2);
    expect(a.stdout).toContain("usage: tracklet-collector");
    const b = io();
    expect(await main(["frobnicate"], b)).toBe(2);
    expect(b.stderr).toContain('unknown command "frobnicate"');
    const c = io();
    expect(await main(["retention", "--days", "zero", "--store", join(dir, "x.sqlite")], c)).toBe(2);
    expect(c.stderr).toContain("--days must be a positive integer");
  });

  it("migrate, status, retention and erase on a SQLite file", async () => {
    const path = join(dir, "cli.sqlite");
    const m = io();
    expect(await main(["migrate", "--store", path], m)).toBe(0);
    expect(m.stderr).toMatch(/migrations: (\d+)\/\1 \(100%\)\n$/);
    await seed(path);

    const s = io();
    expect(await main(["status", `--store=${path}`], s)).toBe(0);
    expect(s.stdout).toContain("events: 3");
    expect(s.stdout).toContain("  example.com: 2");
    expect(s.stdout).toContain("integrity: ok");

    const r = io();
    expect(await main(["retention", "--days", "30", "--store", path], r)).toBe(0);
    expect(r.stdout).toContain("deleted 1 events");
    expect(r.stderr).toBe("retention: 1/1 (100%)\n");

    const e = io();
    expect(await main(["erase", "--user", "alice", "--store", path], e)).toBe(0);
    expect(e.stdout).toContain('erased 1 events of user "alice"');
    const store = new SqliteStore({ path });
    expect(await store.countEvents()).toBe(1);
    await store.close();
  });

  it("stops retention on Ctrl-C between chunks and exits 130, the store intact", async () => {
    const path = join(dir, "interrupt.sqlite");
    const store = new SqliteStore({ path });
    const old = Date.now() - 100 * DAY;
    await store.insertEvents(
      Array.from({ length: 5000 }, (_, i) => storedEvent({ visitorId: "a", sessionId: "s", ts: old + i })),
    );
    await store.close();
    // Ctrl-C arrives before the first chunk.
    const cli = Object.assign(io(), { interrupt: AbortSignal.abort() });
    expect(await main(["retention", "--days", "30", "--store", path], cli)).toBe(130);
    expect(cli.stderr).toContain("retention interrupted; the store is consistent");
    const check = new SqliteStore({ path });
    expect(await check.countEvents()).toBe(5000);
    await check.close();
  });

  it("stops migrations on Ctrl-C between two of them and exits 130; a rerun applies the rest", async () => {
    const path = join(dir, "migrate-interrupt.sqlite");
    const cli = Object.assign(io(), { interrupt: AbortSignal.abort() });
    expect(await main(["migrate", "--store", path], cli)).toBe(130);
    expect(cli.stderr).toContain("migrations interrupted; the store is consistent");
    const rerun = io();
    expect(await main(["migrate", "--store", path], rerun)).toBe(0);
    expect(rerun.stderr).toMatch(/migrations: (\d+)\/\1 \(100%\)\n$/);
  });

  it("takes the store from the config file or the env override", async () => {
    const path = join(dir, "env.sqlite");
    const a = io({ TRACKLET__COLLECTOR__STORE: path });
    expect(await main(["migrate"], a)).toBe(0);
    const s = io({ TRACKLET__COLLECTOR__STORE: path });
    expect(await main(["status"], s)).toBe(0);
    expect(s.stdout).toContain("events: 0");
  });

  it("reports a config error with its location and exits 1", async () => {
    const e = io({ TRACKLET__COLLECTOR__RETENTION_DAYS: "soon" });
    expect(await main(["status"], e)).toBe(1);
    expect(e.stderr).toContain("TRACKLET__COLLECTOR__RETENTION_DAYS: retention_days must be");
  });

  it("serves the collector and stops cleanly, writing what it accepted", async () => {
    const path = join(dir, "serve.sqlite");
    let stop!: () => void;
    let listening!: (url: string) => void;
    const urlP = new Promise<string>((r) => {
      listening = r;
    });
    const cli = Object.assign(io(), {
      stopSignal: new Promise<void>((r) => {
        stop = r;
      }),
      onListening: (u: string) => listening(u),
    });
    const done = main(["serve", "--port", "0", "--store", path, "--token", "tok"], cli);
    const url = await urlP;
    const res = await fetch(`${url}/collect`, {
      method: "POST",
      headers: {
        "content-type": "text/plain",
        "user-agent": "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
      },
      body: JSON.stringify({ type: "pageview", site: "served.test", url: "https://served.test/" }),
    });
    expect(res.status).toBe(202);
    expect((await fetch(`${url}/api/sites`)).status).toBe(401);
    stop();
    expect(await done).toBe(0);
    expect(cli.stdout).toContain("1 events stored");
    // A new store's migrations ran at start-up, with progress.
    expect(cli.stderr).toMatch(/migrations: (\d+)\/\1 \(100%\)\n/);
    const store = new SqliteStore({ path });
    expect(await store.countEvents("served.test")).toBe(1);
    await store.close();
  });

  it("rollups: builds with progress lines, stops cleanly on an interrupt, and a rerun completes", async () => {
    const path = join(dir, "rollups.sqlite");
    const store = new SqliteStore({ path, autoRollups: false });
    await store.insertEvents(randomEvents(11, 300, Date.now() - 6 * DAY, 5));
    await store.close();

    const stopped = new AbortController();
    const first = io();
    first.err = (t: string) => {
      first.stderr += t;
      if (t.startsWith("rollup backfill:")) stopped.abort();
    };
    first.interrupt = stopped.signal;
    expect(await main(["rollups", "--store", path], first)).toBe(130);
    expect(first.stderr).toContain("rollup backfill: 0/");
    expect(first.stderr).toContain("rollup backfill interrupted; the store is consistent");

    const second = io();
    expect(await main(["rollups", "--store", path], second)).toBe(0);
    expect(second.stdout).toBe("rollups built\n");
    expect(second.stderr).toMatch(/rollup backfill: (\d+)\/\1 \(100%\)\n$/);

    const bad = io();
    expect(await main(["rollups", "--rebuild-from", "yesterday", "--store", path], bad)).toBe(2);
    expect(bad.stderr).toContain("--rebuild-from must be a date YYYY-MM-DD");
    expect(await main(["rollups", "--rebuild-from", "1970-01-01", "--store", path], io())).toBe(0);
  });

  describe("on PostgreSQL", () => {
    let pg: ThrowawayPostgres;
    beforeAll(async () => {
      pg = await startThrowawayPostgres();
    }, 60_000);
    afterAll(async () => {
      await pg?.stop();
    });

    it("migrate, status, retention and erase", async () => {
      const url = pg.url;
      const m = io();
      expect(await main(["migrate", "--store", url], m)).toBe(0);
      expect(m.stderr).toMatch(/migrations: (\d+)\/\1 \(100%\)\n$/);
      const { PostgresStore } = await import("../store/postgres/postgres-store.js");
      const store = new PostgresStore({ connectionString: url });
      const now = Date.now();
      await store.insertEvents([
        storedEvent({ visitorId: "a", sessionId: "s", ts: now - 100 * DAY }),
        storedEvent({ visitorId: "a", sessionId: "s", ts: now - 1000, userId: "alice" }),
      ]);
      const s = io();
      expect(await main(["status", "--store", url], s)).toBe(0);
      expect(s.stdout).toContain("events: 2");
      expect(s.stdout).toContain("integrity: ok");
      const r = io();
      expect(await main(["retention", "--days", "30", "--store", url], r)).toBe(0);
      expect(r.stdout).toContain("deleted 1 events");
      expect(r.stderr).toBe("retention: 1/1 (100%)\n");
      const e = io();
      expect(await main(["erase", "--user", "alice", "--store", url], e)).toBe(0);
      expect(e.stdout).toContain("erased 1 events");
      expect(await store.countEvents()).toBe(0);
      await store.close();
    });
  });
});
