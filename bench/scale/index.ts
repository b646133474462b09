// How the dashboard's stats() time grows with the number of events and of distinct pages, on both stores. One
// store per store kind grows 1 M → 3 M → 10 M events (90 days, one site); at each size the rollups are rebuilt
// from scratch (timed: the rollup build per million events, dropping the old rollups in steps, and the longest gap
// between two progress reports, an upper bound of how long one drop step or build transaction held the write
// lock), then every preset view is timed (median of BENCH_RUNS after a warm-up, checked once against the raw scan
// at the smallest size). A variant with BENCH_SCALE_PATHS distinct paths (default 100,000) runs at the sizes in
// BENCH_SCALE_PATH_SIZES (default: the smallest size). Knobs: BENCH_SCALE_SIZES (default 1e6,3e6,1e7), BENCH_RUNS
// (default 5), BENCH_SKIP_POSTGRES, BENCH_SKIP_SQLITE.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { addDays, zonedMidnight } from "../../packages/collector/src/dashboard/zoned-time.js";
import type { StatsInterval, StatsQuery } from "../../packages/collector/src/stats/types.js";
import { PostgresStore } from "../../packages/collector/src/store/postgres/postgres-store.js";
import { SqliteStore } from "../../packages/collector/src/store/sqlite/sqlite-store.js";
import type { StoredEvent } from "../../packages/collector/src/store/types.js";
import { generateEvents, seededRandom } from "../../packages/collector/test/dashboard/seed.js";
import { startThrowawayPostgres } from "../../packages/collector/test/postgres.js";

const SIZES = (process.env.BENCH_SCALE_SIZES ?? "1e6,3e6,1e7").split(",").map((s) => Math.round(Number(s)));
const PATHS = Number(process.env.BENCH_SCALE_PATHS ?? 100_000);
const PATH_SIZES = (process.env.BENCH_SCALE_PATH_SIZES ?? String(Math.min(...SIZES)))
  .split(",")
  .map((s) => Math.round(Number(s)));
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
if ([...SIZES, ...PATH_SIZES].some((n) => !Number.isFinite(n) || n <= 0))
  throw new Error("BENCH_SCALE_SIZES and BENCH_SCALE_PATH_SIZES must be positive numbers, e.g. 1e6,3e6");

const DAYS = 90;
const SITE = "bench.example";
const END_DAY = "2026-06-15";
const END = new Date(`${END_DAY}T00:00:00Z`);
/** The stores' clock: noon of the last day, so "today" has an open hour and hours still settling. */
const NOW = END.getTime() + 12 * 3_600_000 + 17 * 60_000;
const MONTH_TARGET_MS = 300;
const OTHER_TARGET_MS = 500;

interface View {
  name: string;
  /** Whole days back from the end day; 0 is "today" (its midnight to now). */
  days: number;
  interval: StatsInterval;
  timezone?: string;
  /** Ends at the stores' "now" (open and settling hours read raw) instead of the end day's midnight. */
  toNow?: boolean;
}
const VIEWS: View[] = [
  { name: "today / hour", days: 0, interval: "hour", toNow: true },
  { name: "today / hour, Kolkata", days: 0, interval: "hour", timezone: "Asia/Kolkata", toNow: true },
  { name: "7 days / day", days: 7, interval: "day", toNow: true },
  { name: "30 days / day", days: 30, interval: "day" },
  { name: "30 days / day to now", days: 30, interval: "day", toNow: true },
  { name: "30 days / hour", days: 30, interval: "hour" },
  { name: "30 days / week", days: 30, interval: "week" },
  { name: "30 days / day, Kolkata", days: 30, interval: "day", timezone: "Asia/Kolkata" },
  { name: "90 days / day", days: 90, interval: "day" },
  { name: "90 days / week", days: 90, interval: "week" },
  { name: "90 days / week, Kolkata", days: 90, interval: "week", timezone: "Asia/Kolkata" },
];
const isMonth = (v: View) => v.days === 30 && v.interval === "day" && !v.timezone;

function queryFor(view: View): StatsQuery {
  const timezone = view.timezone ?? "UTC";
  const to = view.toNow ? new Date(NOW) : zonedMidnight(END_DAY, timezone);
  const from =
    view.days === 0
      ? zonedMidnight(END_DAY, timezone)
      : zonedMidnight(addDays(END_DAY, -view.days), timezone);
  return { site: SITE, from, to, interval: view.interval, timezone, limit: 10, searchEvents: ["search"] };
}

type Store = SqliteStore | PostgresStore;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

/**
 * Events `[from, to)` of a growing data set: each step adds its own seeds, spread over the 90 days before the
 * end day and the end day up to the stores' "now" (half as many there).
 */
async function grow(store: Store, from: number, to: number, paths: number | undefined): Promise<void> {
  const perDay = Math.ceil((to - from) / (DAYS + 0.5));
  let added = 0;
  for (let day = 0; day <= DAYS && added < to - from; day++) {
    const dayEnd = new Date(END.getTime() - (DAYS - day - 1) * 86_400_000);
    const seed = 1000 + day + 7919 * from;
    const events = generateEvents({
      events: Math.min(perDay, to - from - added),
      seed,
      sites: [SITE],
      end: dayEnd,
      days: 1,
      users: 400,
    }).filter((e) => e.ts < NOW);
    if (paths) spreadPaths(events, paths, seed);
    for (let i = 0; i < events.length; i += 10_000) await store.insertEvents(events.slice(i, i + 10_000));
    added += events.length;
  }
}

/** Gives pageviews one of `paths` distinct paths, so the page rankings and rollups hold that many rows. */
function spreadPaths(events: StoredEvent[], paths: number, seed: number): void {
  const rand = seededRandom(seed ^ 0x5eed);
  for (const e of events) if (e.type === "pageview") e.path = `/item/${Math.floor(rand() * paths)}`;
}

interface Step {
  size: number;
  buildMs: number;
  /** From the call to the backfill's first report: dropping the old rollups, in steps from the end. */
  dropMs: number;
  /** The longest gap between two progress reports: one drop step or build chunk, with its commit. */
  longestChunkMs: number;
  views: number[];
}

async function measureStep(label: string, store: Store, size: number, check: boolean): Promise<Step> {
  console.log(`${label}: rebuilding rollups of ${size.toLocaleString("en-US")} events…`);
  const start = performance.now();
  let last = start;
  let dropMs: number | undefined;
  let longestChunkMs = 0;
  // Each drop step and each build chunk reports once: the gaps are the transactions (and what runs between).
  await store.rebuildRollups(new Date(0), {
    onProgress: (p) => {
      const now = performance.now();
      longestChunkMs = Math.max(longestChunkMs, now - last);
      if (p.task === "rollup backfill") dropMs ??= now - start;
      last = now;
    },
  });
  const buildMs = performance.now() - start;
  const views: number[] = [];
  for (const view of VIEWS) {
    const q = queryFor(view);
    const rolled = await store.stats(q);
    if (check && JSON.stringify(rolled) !== JSON.stringify(await store.scanStats(q)))
      throw new Error(`${label} ${view.name}: rollup figures differ from the raw scan`);
    const runs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      await store.stats(q);
      runs.push(performance.now() - t);
    }
    views.push(median(runs));
  }
  return { size, buildMs, dropMs: dropMs ?? 0, longestChunkMs, views };
}

async function series(label: string, store: Store, sizes: number[], paths?: number): Promise<Step[]> {
  const steps: Step[] = [];
  let have = 0;
  for (const size of [...sizes].sort((a, b) => a - b)) {
    console.log(`${label}: inserting up to ${size.toLocaleString("en-US")} events…`);
    await grow(store, have, size, paths);
    have = size;
    steps.push(await measureStep(label, store, size, steps.length === 0));
  }
  return steps;
}

function report(label: string, steps: Step[]): void {
  const col = 28;
  const cell = 14;
  const millions = (n: number) => `${(n / 1e6).toLocaleString("en-US")} M`;
  console.log(`\n${label}: stats() median of ${RUNS} runs per view; rollups rebuilt from scratch per size`);
  const line = (text: string, cells: string[]) =>
    console.log(`${text.padEnd(col)}${cells.map((c) => c.padStart(cell)).join("")}`);
  line(
    "events",
    steps.map((s) => millions(s.size)),
  );
  line(
    "rollup build",
    steps.map((s) => `${(s.buildMs / 1000).toFixed(1)} s`),
  );
  line(
    "  per million events",
    steps.map((s) => `${(s.buildMs / (s.size / 1e6) / 1000).toFixed(1)} s`),
  );
  line(
    "  dropping old rollups",
    steps.map((s) => `${s.dropMs.toFixed(0)} ms`),
  );
  line(
    "  longest drop step or chunk",
    steps.map((s) => `${s.longestChunkMs.toFixed(0)} ms`),
  );
  for (const [i, view] of VIEWS.entries()) {
    const target = isMonth(view) ? MONTH_TARGET_MS : OTHER_TARGET_MS;
    line(
      view.name,
      steps.map((s) => {
        const ms = s.views[i] ?? Number.NaN;
        return `${ms.toFixed(0)} ms${ms > target ? " !" : ""}`;
      }),
    );
  }
  console.log(
    `("!": over the target, ${MONTH_TARGET_MS} ms for the 30-day view, ${OTHER_TARGET_MS} ms for the others)`,
  );
}

async function withStore<T>(kind: "SQLite" | "PostgreSQL", fn: (store: Store) => Promise<T>): Promise<T> {
  if (kind === "SQLite") {
    const dir = mkdtempSync(join(tmpdir(), "tracklet-bench-scale-"));
    const store = new SqliteStore({ path: join(dir, "bench.sqlite"), now: () => NOW, autoRollups: false });
    try {
      return await fn(store);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const pg = await startThrowawayPostgres();
  const store = new PostgresStore({ connectionString: pg.url, now: () => NOW, autoRollups: false });
  try {
    await store.migrate();
    return await fn(store);
  } finally {
    await store.close();
    await pg.stop();
  }
}

async function main() {
  const kinds: Array<"SQLite" | "PostgreSQL"> = [];
  if (!process.env.BENCH_SKIP_SQLITE) kinds.push("SQLite");
  if (!process.env.BENCH_SKIP_POSTGRES) kinds.push("PostgreSQL");
  // Each table is printed as soon as its series ends: the full run is long.
  for (const kind of kinds) {
    report(kind, await withStore(kind, (store) => series(kind, store, SIZES)));
    if (PATHS > 0) {
      const label = `${kind}, ${PATHS.toLocaleString("en-US")} distinct paths`;
      report(label, await withStore(kind, (store) => series(label, store, PATH_SIZES, PATHS)));
    }
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
