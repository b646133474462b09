// Ingestion during a rollup backfill over a large store. Each store (BENCH_STORES, default "sqlite,postgres") is
// filled with BENCH_EVENTS events (default 10,000,000; written by SQL, spread evenly over 60 days, a third of the
// visitors signed in as one of 400 users who come back all through the range) and its rollups are built. A
// collector process then takes SDK events at a fixed BENCH_RATE (default 500 events/s) for BENCH_DURATION seconds
// (default 20) with nothing else running, then again while another process rebuilds the rollups of the last
// BENCH_REBUILD_DAYS days (default 3), as `tracklet-collector rollups --rebuild-from` does: the old rows are
// dropped in steps, then rebuilt chunk by chunk, beside rollup tables of full size. Printed: the load's rate and
// latency in both windows, the collector's event-loop delay and the most events waiting for the store, the first
// build's time, and the rebuild's time, transactions and the time between its progress reports (one drop step or
// build chunk each: on SQLite, how long the collector's inserts may wait). Every accepted event must be stored.
import { performance } from "node:perf_hooks";
import { measureStores } from "../support/bench-stores.js";
import type { SeedableStore } from "../support/fill-store.js";
import {
  DAY_MS,
  FILL_DAYS,
  fillForBench,
  gapFigures,
  ingestionDuring,
  printWindows,
  runStoreOperation,
  SETTINGS,
  type StoreIngestion,
} from "../support/ingestion-during.js";

const REBUILD_DAYS = Number(process.env.BENCH_REBUILD_DAYS ?? 3);
const USERS = 400;

interface StoreResult extends StoreIngestion {
  buildSeconds: number;
}

async function measure(name: string, spec: string, store: SeedableStore): Promise<StoreResult> {
  await fillForBench(name, store, USERS);
  const buildStart = performance.now();
  await store.refreshRollups();
  const buildSeconds = (performance.now() - buildStart) / 1000;
  console.log(`${name}: rollups built in ${buildSeconds.toFixed(0)} s`);
  const run = await ingestionDuring(name, spec, () =>
    runStoreOperation(spec, "rebuild", Date.now() - REBUILD_DAYS * DAY_MS),
  );
  const stored = await store.countEvents();
  return { store: name, buildSeconds, ...run, lost: SETTINGS.total + run.accepted - stored };
}

function print(results: StoreResult[]): void {
  printWindows(
    results,
    `${SETTINGS.total.toLocaleString("en")} events over ${FILL_DAYS} days, the last ${REBUILD_DAYS} days' rollups rebuilt`,
    "store        window             events/s   p50 ms   p99 ms   max ms   non-2xx   build s   rebuild s   transactions   gap ms p50/p99/max",
    ["alone", "rebuild running"],
    (r, during) => [
      (during ? "" : r.buildSeconds.toFixed(0)).padStart(9),
      (during ? r.operation.seconds.toFixed(1) : "").padStart(11),
      (during ? String(r.operation.gapsMs.length) : "").padStart(14),
      (during ? gapFigures(r.operation.gapsMs) : "").padStart(20),
    ],
  );
}

async function main(): Promise<void> {
  print(await measureStores("backfill", SETTINGS.stores, measure));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
