// One retention pass in its own process, as `tracklet-collector retention` runs beside a collector (a SQLite
// delete is synchronous: in the load generator's process it would stall the measuring client instead).
// `pass.ts <store> <cutoff ms>`; sends `{ deleted, seconds, gapsMs }` (times between progress reports: about one
// chunk each) to the parent.
import { performance } from "node:perf_hooks";
import { PostgresStore } from "../../packages/collector/src/store/postgres/postgres-store.js";
import { SqliteStore } from "../../packages/collector/src/store/sqlite/sqlite-store.js";

const [spec = "", cutoff = "0"] = process.argv.slice(2);

async function main(): Promise<void> {
  const store = spec.startsWith("postgres")
    ? new PostgresStore({ connectionString: spec, autoRollups: false })
    : new SqliteStore({ path: spec, autoRollups: false });
  const start = performance.now();
  let last = start;
  const gapsMs: number[] = [];
  const deleted = await store.deleteOlderThan(new Date(Number(cutoff)), {
    onProgress: () => {
      const t = performance.now();
      gapsMs.push(t - last);
      last = t;
    },
  });
  const seconds = (performance.now() - start) / 1000;
  await store.close();
  process.send?.({ deleted, seconds, gapsMs });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
