// One long store operation in its own process, as the CLI runs it beside a collector (SQLite statements are
// synchronous: in the load generator's process they would stall the measuring client instead).
// `store-operation.ts <store> retention <cutoff ms>` deletes older events (`deleteOlderThan`, as
// `tracklet-collector retention` does); `store-operation.ts <store> rebuild <from ms>` rebuilds the rollups from
// then on (`rebuildRollups`, as `tracklet-collector rollups --rebuild-from` does). Sends `OperationFigures` to the
// parent.
import { performance } from "node:perf_hooks";
import type { LongOperationOptions } from "../../packages/collector/src/lifecycle/long-operation.js";
import { PostgresStore } from "../../packages/collector/src/store/postgres/postgres-store.js";
import { SqliteStore } from "../../packages/collector/src/store/sqlite/sqlite-store.js";

export interface OperationFigures {
  /** Rows deleted (retention), 0 otherwise. */
  rows: number;
  seconds: number;
  /** Times between progress reports: about one chunk (one transaction) each. */
  gapsMs: number[];
}

const [spec = "", operation = "", at = "0"] = process.argv.slice(2);

async function main(): Promise<void> {
  const store = spec.startsWith("postgres")
    ? new PostgresStore({ connectionString: spec, autoRollups: false })
    : new SqliteStore({ path: spec, autoRollups: false });
  const start = performance.now();
  let last = start;
  const gapsMs: number[] = [];
  const options: LongOperationOptions = {
    onProgress: () => {
      const t = performance.now();
      gapsMs.push(t - last);
      last = t;
    },
  };
  let rows = 0;
  if (operation === "retention") rows = await store.deleteOlderThan(new Date(Number(at)), options);
  else if (operation === "rebuild") await store.rebuildRollups(new Date(Number(at)), options);
  else throw new Error(`unknown operation "${operation}" (retention, rebuild)`);
  const figures: OperationFigures = { rows, seconds: (performance.now() - start) / 1000, gapsMs };
  await store.close();
  process.send?.(figures);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
