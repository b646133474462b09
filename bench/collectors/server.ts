// A collector for the benches, run in a child process: `server.ts <store> [rollups|no-rollups]` serves the real
// collector on a SQLite path or postgres:// URL on loopback and answers the parent over IPC ("memory", "stop").
import type { AddressInfo } from "node:net";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { createCollector, PostgresStore, SqliteStore } from "@tracklet/collector";
import { BENCH_COLLECTOR_OPTIONS, collectorServer } from "../support/collector-server.js";

const [spec = "", rollups = "rollups"] = process.argv.slice(2);

function send(message: unknown): void {
  process.send?.(message);
}

async function main(): Promise<void> {
  // A store of millions of events would start building its rollups at once; the retention bench turns that off.
  const autoRollups = rollups !== "no-rollups";
  const store = spec.startsWith("postgres")
    ? new PostgresStore({ connectionString: spec, autoRollups })
    : new SqliteStore({ path: spec, autoRollups });
  const collector = createCollector({ store, ...BENCH_COLLECTOR_OPTIONS });
  await collector.ready;
  const server = collectorServer(collector);
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  // Events accepted but not yet written: how far the store's writes fall behind.
  let mostQueued = 0;
  setInterval(() => {
    mostQueued = Math.max(mostQueued, collector.metrics().queued);
  }, 50).unref();
  server.listen(0, "127.0.0.1", () => send({ port: (server.address() as AddressInfo).port }));
  process.on("message", async (msg) => {
    if (msg === "memory") send({ memory: process.memoryUsage() });
    if (msg === "loop") {
      // Since the last ask: this process's event-loop delay (ms) and the most events waiting for the store.
      send({ loop: { p99: loop.percentile(99) / 1e6, max: loop.max / 1e6, mostQueued } });
      loop.reset();
      mostQueued = 0;
    }
    if (msg !== "stop") return;
    server.close();
    server.closeAllConnections();
    await collector.close();
    await store.close();
    const m = collector.metrics();
    send({ done: { accepted: m.accepted, stored: m.stored, dropped: m.dropped } });
    process.exit(0);
  });
}

main().catch((err) => {
  send({ error: String(err?.stack ?? err) });
  process.exit(1);
});
