// Ingestion during a retention pass over a large store. Each store (BENCH_STORES, default "sqlite,postgres") is
// filled with BENCH_EVENTS events (default 10,000,000; written by SQL, spread evenly over 60 days, so a 30-day
// retention deletes half). A collector process then takes SDK events at a fixed BENCH_RATE (default 500 events/s)
// for BENCH_DURATION seconds (default 20) without retention, then again while another process runs the retention
// pass (`deleteOlderThan`, as `tracklet-collector retention --days 30` does). Printed: the load's rate and latency
// in both windows, the collector's event-loop delay and the most events waiting for the store, and the pass's rows,
// time, chunks and the time between its progress reports (about one chunk each).
// Every accepted event must be stored. Collectors never build rollups here (a 10 M backfill is another bench).
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

const KEEP_DAYS = FILL_DAYS / 2;

async function measure(name: string, spec: string, store: SeedableStore): Promise<StoreIngestion> {
  await fillForBench(name, store);
  const run = await ingestionDuring(name, spec, () =>
    runStoreOperation(spec, "retention", Date.now() - KEEP_DAYS * DAY_MS),
  );
  const stored = await store.countEvents();
  // Left: the newer half of the fill, plus everything the collector accepted.
  const expected = SETTINGS.total - run.operation.rows + run.accepted;
  return { store: name, ...run, lost: expected - stored };
}

function print(results: StoreIngestion[]): void {
  printWindows(
    results,
    `${SETTINGS.total.toLocaleString("en")} events over ${FILL_DAYS} days, retention keeps ${KEEP_DAYS}`,
    "store        window               events/s   p50 ms   p99 ms   max ms   non-2xx   deleted     pass s   rows/s   chunks      chunk ms p50/p99/max",
    ["no retention", "retention running"],
    (r, during) => {
      const pass = r.operation;
      return [
        (during ? pass.rows.toLocaleString("en") : "").padStart(11),
        (during ? pass.seconds.toFixed(1) : "").padStart(9),
        (during ? (pass.rows / pass.seconds).toFixed(0) : "").padStart(8),
        (during ? String(pass.gapsMs.length) : "").padStart(8),
        (during ? gapFigures(pass.gapsMs) : "").padStart(29),
      ];
    },
  );
}

async function main(): Promise<void> {
  print(await measureStores("retention", SETTINGS.stores, measure));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
