import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { PG_BIN, startThrowawayPostgres } from "../packages/collector/test/postgres.js";
import { runCollectorCommand, startCollectorProcess } from "./support/collector-process.js";
import { printFigures } from "./support/figures.js";
import { seqsOf, startLoad } from "./support/load.js";
import { pageview, post, sleep } from "./support/post.js";

const execFileAsync = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), "tracklet-crash-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The write queue's documented flush interval: at most this much accepted work is only in memory. */
const FLUSH_INTERVAL_MS = 1000;
/** Scheduling noise on a busy 2-core machine, on top of the flush interval. */
const SLACK_MS = 750;

/** How long PostgreSQL stays down: inside the write queue's retry budget (0.2+0.4+0.8+1.6+3.2 s). */
const OUTAGE_MS = 3000;

const NO_RATE_LIMIT = { TRACKLET__COLLECTOR__RATE_LIMIT: "off" };

interface Metrics {
  stored: number;
  queued: number;
  retries: number;
}

async function metrics(url: string): Promise<Metrics | null> {
  try {
    return (await (await fetch(`${url}/healthz`)).json()) as Metrics;
  } catch {
    return null;
  }
}

describe("crash and restart under sustained load", () => {
  it("SQLite: kill -9 loses at most the last unflushed second, and the store stays consistent", async () => {
    const store = join(dir, "crash.sqlite");
    const site = "crash.example";
    const proc = await startCollectorProcess(["--store", store], NO_RATE_LIMIT);
    const load = startLoad(`${proc.url}/collect`, { site });
    await sleep(2500);
    const killAt = performance.now();
    expect(await proc.kill9()).toBe("SIGKILL");
    load.stop();
    await load.done;

    const status = await runCollectorCommand(["status", "--store", store]);
    expect(status.out).toContain("integrity: ok");
    expect(status.code).toBe(0);

    const db = new Database(store, { readonly: true });
    const rows = db
      .prepare("SELECT json_extract(props, '$.seq') AS seq FROM events WHERE site = ?")
      .all(site) as Array<{ seq: string }>;
    db.close();
    const stored = rows.map((r) => Number(r.seq));
    const storedSet = new Set(stored);
    const accepted = load.batches.filter((b) => b.status === 202);
    const unanswered = load.batches.filter((b) => b.status === 0);
    const acceptedSeqs = seqsOf(accepted);
    const sentSeqs = seqsOf(load.batches);
    const lost = [...acceptedSeqs].filter((s) => !storedSet.has(s));
    const recent = seqsOf(accepted.filter((b) => b.answeredAt >= killAt - FLUSH_INTERVAL_MS - SLACK_MS));
    const storedUnanswered = [...seqsOf(unanswered)].filter((s) => storedSet.has(s)).length;

    // After a restart on the same file, the collector takes events again.
    const again = await startCollectorProcess(["--store", store], NO_RATE_LIMIT);
    const after = await post(`${again.url}/collect`, JSON.stringify(pageview("after-restart.example", 1)));
    expect(after.status).toBe(202);
    expect(await again.stop()).toBe(0);
    const db2 = new Database(store, { readonly: true });
    const afterRestart = (
      db2.prepare("SELECT count(*) AS n FROM events WHERE site = 'after-restart.example'").get() as {
        n: number;
      }
    ).n;
    db2.close();

    printFigures("SQLite store, kill -9 during load (4 clients, 20-event batches)", [
      ["requests answered 202", accepted.length],
      ["events accepted (202)", acceptedSeqs.size],
      ["events stored", storedSet.size],
      ["accepted but not stored", lost.length],
      ["  of which accepted in the last flush interval", lost.filter((s) => recent.has(s)).length],
      ["requests cut by the kill (no answer)", unanswered.length],
      ["  their events found stored anyway", storedUnanswered],
      ["integrity check after restart", status.out.includes("integrity: ok") ? "ok" : "FAILED"],
    ]);
    expect(acceptedSeqs.size).toBeGreaterThan(500);
    expect(stored.length).toBe(storedSet.size); // no event written twice
    expect([...storedSet].filter((s) => !sentSeqs.has(s))).toEqual([]); // nothing invented
    expect(lost.filter((s) => !recent.has(s))).toEqual([]); // only the last unflushed interval is lost
    expect(afterRestart).toBe(1);
  });

  it("PostgreSQL restarted and down for 3 s under load: the collector reconnects by itself and loses nothing", async () => {
    const cluster = await startThrowawayPostgres();
    const site = "pg-restart.example";
    const proc = await startCollectorProcess(["--store", cluster.url], NO_RATE_LIMIT);
    try {
      const admin = new pg.Client({ connectionString: cluster.url });
      await admin.connect();
      const dataDir = String(
        ((await admin.query("SHOW data_directory")).rows[0] as { data_directory: string }).data_directory,
      );
      await admin.end();

      const timeline: Array<{ at: number; stored: number; retries: number }> = [];
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          const m = await metrics(proc.url);
          if (m) timeline.push({ at: performance.now(), stored: m.stored, retries: m.retries });
          await sleep(100);
        }
      })();
      const load = startLoad(`${proc.url}/collect`, { site, workers: 3 });
      await sleep(1500);
      const asRoot = process.getuid?.() === 0;
      const pgCtl = async (...args: string[]) => {
        const full = [...args.slice(0, 1), "-D", dataDir, "-w", "-t", "60", ...args.slice(1)];
        const bin = join(PG_BIN, "pg_ctl");
        await (asRoot
          ? execFileAsync("runuser", ["-u", "postgres", "--", bin, ...full])
          : execFileAsync(bin, full));
      };
      const log = join(dirname(dataDir), "restart.log");
      const restartStart = performance.now();
      await pgCtl("restart", "-m", "fast", "-l", log);
      const restartEnd = performance.now();
      await sleep(1500);
      // Then a real outage: down for OUTAGE_MS, started again with the harness's options.
      const outageStart = performance.now();
      await pgCtl("stop", "-m", "fast");
      await sleep(OUTAGE_MS);
      const opts = `-c listen_addresses=127.0.0.1 -c port=${cluster.port} -c unix_socket_directories=${dirname(dataDir)} -c fsync=off`;
      await pgCtl("start", "-o", opts, "-l", log);
      const outageEnd = performance.now();
      await sleep(2000);
      load.stop();
      await load.done;
      // Give the write queue's retries time to land before asking it to stop (SIGTERM writes the rest).
      const drainDeadline = performance.now() + 20_000;
      while (performance.now() < drainDeadline) {
        const m = await metrics(proc.url);
        if (m && m.queued === 0) break;
        await sleep(100);
      }
      sampling = false;
      await sampler;
      expect(await proc.stop()).toBe(0);

      const client = new pg.Client({ connectionString: cluster.url });
      await client.connect();
      const { rows } = await client.query<{ seq: string }>(
        "SELECT props->>'seq' AS seq FROM events WHERE site = $1",
        [site],
      );
      await client.end();
      const storedSet = new Set(rows.map((r) => Number(r.seq)));
      const accepted = load.batches.filter((b) => b.status === 202);
      const acceptedSeqs = seqsOf(accepted);
      const lost = [...acceptedSeqs].filter((s) => !storedSet.has(s));
      const refused = load.batches.filter((b) => b.status !== 202);
      const storedAtRestartEnd = [...timeline].reverse().find((t) => t.at <= restartEnd)?.stored ?? 0;
      const firstWriteAfter = timeline.find((t) => t.at > restartEnd && t.stored > storedAtRestartEnd);
      const retries = timeline.at(-1)?.retries ?? 0;
      const storedAtOutageEnd = [...timeline].reverse().find((t) => t.at <= outageEnd)?.stored ?? 0;
      const firstWriteAfterOutage = timeline.find((t) => t.at > outageEnd && t.stored > storedAtOutageEnd);

      printFigures("PostgreSQL restarted (pg_ctl restart -m fast) during load (3 clients)", [
        ["restart took", `${Math.round(restartEnd - restartStart)} ms`],
        [
          "first batch written after restart",
          firstWriteAfter ? `${Math.round(firstWriteAfter.at - restartEnd)} ms later` : "never",
        ],
        ["database down (stop … start)", `${Math.round(outageEnd - outageStart)} ms`],
        [
          "first batch written after it came back",
          firstWriteAfterOutage ? `${Math.round(firstWriteAfterOutage.at - outageEnd)} ms later` : "never",
        ],
        ["write retries", retries],
        ["events accepted (202)", acceptedSeqs.size],
        [
          "requests not accepted",
          `${refused.length} (${[...new Set(refused.map((b) => b.status))].join(", ") || "none"})`,
        ],
        ["events stored", storedSet.size],
        ["accepted but not stored", lost.length],
      ]);
      expect(acceptedSeqs.size).toBeGreaterThan(300);
      expect(rows.length).toBe(storedSet.size);
      expect(lost).toEqual([]);
      expect(firstWriteAfter).toBeDefined();
      expect(firstWriteAfterOutage).toBeDefined();
    } finally {
      await proc.kill9();
      await cluster.stop();
    }
  });
});
