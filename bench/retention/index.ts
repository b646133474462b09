// Ingestion during a retention pass over a large store. Each store (BENCH_STORES, default "sqlite,postgres") is
// filled with BENCH_EVENTS events (default 10,000,000; written by SQL, spread evenly over 60 days, so a 30-day
// retention deletes half). A collector process then takes SDK events at a fixed BENCH_RATE (default 500 events/s)
// for BENCH_DURATION seconds (default 20) without retention, then again while another process runs the retention
// pass (`deleteOlderThan`, as `tracklet-collector retention --days 30` does). Printed: the load's rate and latency
// in both windows, the collector's event-loop delay and the most events waiting for the store, and the pass's rows,
// time, chunks and the time between its progress reports (about one chunk each).
// Every accepted event must be stored. Collectors never build rollups here (a 10 M backfill is another bench).
import { fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { PostgresStore } from "../../packages/collector/src/store/postgres/postgres-store.js";
import { SqliteStore } from "../../packages/collector/src/store/sqlite/sqlite-store.js";
import { startThrowawayPostgres, type ThrowawayPostgres } from "../../packages/collector/test/postgres.js";
import { type LoadResult, postEvents, startCollector } from "../collectors/traffic.js";
import { fillStore, type SeedableStore } from "./fill.js";

const here = dirname(fileURLToPath(import.meta.url));
const TOTAL = Number(process.env.BENCH_EVENTS ?? 10_000_000);
const RATE = Number(process.env.BENCH_RATE ?? 500);
const DURATION_S = Number(process.env.BENCH_DURATION ?? 20);
const STORES = (process.env.BENCH_STORES ?? "sqlite,postgres").split(",");
const DAY_MS = 86_400_000;
const KEEP_DAYS = 30;

interface Pass {
  deleted: number;
  seconds: number;
  /** Times between progress reports: about one chunk each. */
  gapsMs: number[];
}

interface StoreResult {
  store: string;
  fillSeconds: number;
  quiet: LoadResult;
  during: LoadResult;
  pass: Pass;
  lost: number;
}

/** The pass in a child process (`pass.ts`), resolved with its figures when it ends. */
function retentionPass(spec: string, now: number): Promise<Pass> {
  const child = fork(join(here, "pass.ts"), [spec, String(now - KEEP_DAYS * DAY_MS)], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  return new Promise((resolve, reject) => {
    child.once("message", (m) => resolve(m as Pass));
    child.once("exit", (code) => code !== 0 && reject(new Error(`retention pass exited with ${code}`)));
  });
}

async function measure(name: string, spec: string, store: SeedableStore): Promise<StoreResult> {
  const now = Date.now();
  const fillStart = performance.now();
  await fillStore(store, TOTAL, now - 60 * DAY_MS, now - 60_000);
  const fillSeconds = (performance.now() - fillStart) / 1000;
  console.log(`${name}: ${TOTAL.toLocaleString("en")} events written in ${fillSeconds.toFixed(0)} s`);
  const collector = await startCollector(spec, { rollups: false });
  const load = (idPrefix: string) =>
    postEvents({ url: collector.url, idPrefix, connections: 8, seconds: DURATION_S, rate: RATE });
  // Warms the collector up (JIT, connections) so the first window is not slower for that alone.
  await postEvents({ url: collector.url, idPrefix: "warm", connections: 8, seconds: 3, rate: RATE });
  await collector.loopDelay();
  const quiet = await load("quiet");
  const quietLoop = await collector.loopDelay();
  const passing = retentionPass(spec, Date.now());
  const during = await load("during");
  const duringLoop = await collector.loopDelay();
  console.log(
    `${name}: collector event-loop delay p99/max ${quietLoop.p99.toFixed(0)}/${quietLoop.max.toFixed(0)} ms without retention, ` +
      `${duringLoop.p99.toFixed(0)}/${duringLoop.max.toFixed(0)} ms with; most events waiting for the store ` +
      `${quietLoop.mostQueued} without, ${duringLoop.mostQueued} with`,
  );
  const pass = await passing;
  const metrics = await collector.stop();
  const stored = await store.countEvents();
  // Left: the newer half of the fill, plus everything the collector accepted.
  const expected = TOTAL - pass.deleted + metrics.accepted;
  return { store: name, fillSeconds, quiet, during, pass, lost: expected - stored };
}

function gapFigures(gaps: number[]): string {
  const sorted = [...gaps].sort((a, b) => a - b);
  const at = (q: number) =>
    (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0).toFixed(0);
  return `${at(0.5)}/${at(0.99)}/${at(1)}`;
}

function print(results: StoreResult[]): void {
  console.log(
    `\n${TOTAL.toLocaleString("en")} events over 60 days, retention keeps ${KEEP_DAYS}; load: ${RATE} SDK events/s for ${DURATION_S} s per window\n`,
  );
  console.log(
    "store        window               events/s   p50 ms   p99 ms   max ms   non-2xx   deleted     pass s   rows/s   chunks      chunk ms p50/p99/max",
  );
  for (const r of results) {
    for (const [label, load] of [
      ["no retention", r.quiet],
      ["retention running", r.during],
    ] as const) {
      const retention = label === "retention running";
      console.log(
        [
          r.store.padEnd(12),
          label.padEnd(18),
          (load.ok / load.seconds).toFixed(0).padStart(10),
          String(load.p50ms).padStart(8),
          String(load.p99ms).padStart(8),
          String(load.maxMs).padStart(8),
          String(load.non2xx + load.errors).padStart(9),
          (retention ? r.pass.deleted.toLocaleString("en") : "").padStart(11),
          (retention ? r.pass.seconds.toFixed(1) : "").padStart(9),
          (retention ? (r.pass.deleted / r.pass.seconds).toFixed(0) : "").padStart(8),
          (retention ? String(r.pass.gapsMs.length) : "").padStart(8),
          (retention ? gapFigures(r.pass.gapsMs) : "").padStart(29),
        ].join(" "),
      );
    }
    if (r.lost !== 0) {
      console.log(`WARNING: ${r.store}: ${r.lost} accepted events missing from the store`);
      process.exitCode = 1;
    }
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "tracklet-retention-"));
  let pg: ThrowawayPostgres | undefined;
  const results: StoreResult[] = [];
  try {
    if (STORES.includes("sqlite")) {
      const path = join(dir, "retention.sqlite");
      const store = new SqliteStore({ path, autoRollups: false });
      results.push(await measure("SQLite", path, store));
      await store.close();
    }
    if (STORES.includes("postgres")) {
      pg = await startThrowawayPostgres();
      const url = await pg.createDatabase("retention");
      const store = new PostgresStore({ connectionString: url, autoRollups: false });
      await store.migrate();
      results.push(await measure("PostgreSQL", url, store));
      await store.close();
    }
  } finally {
    await pg?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  print(results);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
