// The collector's memory under sustained load: one collector process (BENCH_STORE "sqlite", the default, or
// "postgres") takes SDK events at a fixed BENCH_RATE (default 1,000 events/s) from BENCH_CONNECTIONS
// connections (default 16) for BENCH_DURATION seconds (default 600: ten minutes; shorter for a quick run), with
// its stats rollups kept up to date in the background as in production. Its RSS and V8 heap are sampled every
// BENCH_SAMPLE seconds (default 10). Printed: a row per minute (or per sample on short runs) and the growth
// between the first and the last third of the run, after the first sample (warm-up); every accepted event must be
// stored.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startThrowawayPostgres, type ThrowawayPostgres } from "../../packages/collector/test/postgres.js";
import { postEvents, startCollector } from "../collectors/traffic.js";

const STORE = process.env.BENCH_STORE ?? "sqlite";
const RATE = Number(process.env.BENCH_RATE ?? 1000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const DURATION_S = Number(process.env.BENCH_DURATION ?? 600);
const SAMPLE_S = Math.max(1, Number(process.env.BENCH_SAMPLE ?? 10));
const MB = 1024 * 1024;

interface Sample {
  seconds: number;
  rss: number;
  heapUsed: number;
  external: number;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "tracklet-memory-"));
  let pg: ThrowawayPostgres | undefined;
  try {
    let spec = join(dir, "memory.sqlite");
    if (STORE === "postgres") {
      pg = await startThrowawayPostgres();
      spec = await pg.createDatabase("memory");
    }
    const collector = await startCollector(spec);
    const samples: Sample[] = [];
    const started = Date.now();
    const sample = async () => {
      const m = await collector.memory();
      samples.push({
        seconds: Math.round((Date.now() - started) / 1000),
        rss: m.rss,
        heapUsed: m.heapUsed,
        external: m.external,
      });
    };
    await sample();
    const timer = setInterval(() => void sample(), SAMPLE_S * 1000);
    const load = await postEvents({
      url: collector.url,
      idPrefix: "m",
      connections: CONNECTIONS,
      seconds: DURATION_S,
      rate: RATE,
    });
    clearInterval(timer);
    if (Date.now() - started - (samples.at(-1)?.seconds ?? 0) * 1000 > 1000) await sample();
    const metrics = await collector.stop();
    print(samples, load.ok / load.seconds, load.p99ms, metrics.accepted - metrics.stored);
  } finally {
    await pg?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function print(samples: Sample[], eventsPerSecond: number, p99ms: number, notStored: number): void {
  console.log(
    `\ncollector on ${STORE === "postgres" ? "PostgreSQL" : "SQLite"}, ${eventsPerSecond.toFixed(0)} events/s ` +
      `(p99 ${p99ms} ms) for ${DURATION_S} s, sampled every ${SAMPLE_S} s\n`,
  );
  console.log("  time s   RSS MB   heap used MB   external MB");
  const every = DURATION_S >= 120 ? Math.max(1, Math.round(60 / SAMPLE_S)) : 1;
  samples.forEach((s, i) => {
    if (i % every !== 0 && i !== samples.length - 1) return;
    console.log(
      [
        String(s.seconds).padStart(8),
        (s.rss / MB).toFixed(1).padStart(8),
        (s.heapUsed / MB).toFixed(1).padStart(14),
        (s.external / MB).toFixed(1).padStart(13),
      ].join(" "),
    );
  });
  // Warm-up excluded: the first sample is before any load.
  const steady = samples.slice(1);
  const third = Math.max(1, Math.floor(steady.length / 3));
  const first = steady.slice(0, third);
  const last = steady.slice(-third);
  const growth = (pick: (s: Sample) => number) => (mean(last.map(pick)) - mean(first.map(pick))) / MB;
  console.log(
    `\nlast third vs first third of the run: RSS ${growth((s) => s.rss).toFixed(1)} MB, ` +
      `heap used ${growth((s) => s.heapUsed).toFixed(1)} MB; peak RSS ${(Math.max(...samples.map((s) => s.rss)) / MB).toFixed(1)} MB`,
  );
  if (notStored !== 0) {
    console.log(`WARNING: ${notStored} accepted events were not stored`);
    process.exitCode = 1;
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
