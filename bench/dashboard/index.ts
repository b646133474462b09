// Stats query latency behind the dashboard: 1,000,000 generated events (90 days, one site) in SQLite and in a
// throwaway PostgreSQL cluster; each view's stats() call timed as a whole (median of 5 after a warm-up) and,
// for the 30-day view, each of its SQL statements; then SQLite again with a suggested covering index. Baseline,
// measured in the same run: a bare COUNT(*) over the same range, the cheapest possible pass over those rows.
// Target: 30-day view on SQLite ≤ 300 ms. BENCH_EVENTS, BENCH_RUNS and BENCH_SKIP_POSTGRES shrink the run.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { generateEvents } from "../../packages/collector/src/dashboard/testing/seed.js";
import { addDays, zonedMidnight } from "../../packages/collector/src/dashboard/zoned-time.js";
import { computeStats, type StatsDialect } from "../../packages/collector/src/stats/sql-stats.js";
import type { StatsInterval, StatsQuery } from "../../packages/collector/src/stats/types.js";
import { PostgresStore } from "../../packages/collector/src/store/postgres/postgres-store.js";
import { SqliteStore } from "../../packages/collector/src/store/sqlite/sqlite-store.js";
import type { EventStore } from "../../packages/collector/src/store/types.js";
import { startThrowawayPostgres } from "../../packages/collector/src/testing/postgres.js";

const TOTAL = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const DAYS = 90;
const SITE = "bench.example";
const END_DAY = "2026-06-15";
const END = new Date(`${END_DAY}T00:00:00Z`);
const NOW = END.getTime() + 12 * 3_600_000;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
/** The index this bench suggests for SQLite: the columns of the range scans, so they never touch the table. */
const PROPOSED_SQLITE_INDEX =
  "CREATE INDEX bench_events_cover ON events (site, ts, type, visitor_id, user_id, session_id, path)";
const TARGET_MS = 300;

/** The statements of one stats() call, in the order computeStats issues them. */
const PARTS = [
  "totals",
  "sessions/bounce",
  "series",
  "DAU/WAU/MAU",
  "top pages",
  "entry pages",
  "exit pages",
  "referrers",
  "UTM",
  "browsers",
  "OS",
  "devices",
  "events",
  "users",
  "search terms",
  "live",
  "event props",
];

interface View {
  name: string;
  days: number;
  interval: StatsInterval;
}
const VIEWS: View[] = [
  { name: "7 days / day", days: 7, interval: "day" },
  { name: "30 days / day", days: 30, interval: "day" },
  { name: "30 days / hour", days: 30, interval: "hour" },
  { name: "90 days / week", days: 90, interval: "week" },
];

function queryFor(view: View): StatsQuery {
  return {
    site: SITE,
    from: zonedMidnight(addDays(END_DAY, -view.days), "UTC"),
    to: END,
    interval: view.interval,
    timezone: "UTC",
    limit: 10,
    searchEvents: ["search"],
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

async function time(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** Fills a store day by day (a fresh seed per day: visitor hashes change daily, user ids recur). */
async function fill(store: EventStore): Promise<number> {
  const perDay = Math.ceil(TOTAL / DAYS);
  let inserted = 0;
  const start = performance.now();
  for (let day = 0; day < DAYS && inserted < TOTAL; day++) {
    const count = Math.min(perDay, TOTAL - inserted);
    const end = new Date(END.getTime() - (DAYS - day - 1) * 86_400_000);
    const events = generateEvents({
      events: count,
      seed: 1000 + day,
      sites: [SITE],
      end,
      days: 1,
      users: 400,
    });
    for (let i = 0; i < events.length; i += 10_000) await store.insertEvents(events.slice(i, i + 10_000));
    inserted += count;
  }
  return performance.now() - start;
}

/**
 * The store's own SQL dialect, wrapped to time each statement. The dialect is a private field of both stores;
 * reaching it here is the only way to time the parts without changing the stores.
 */
function timedDialect(store: EventStore, timings: number[], synchronous: boolean): StatsDialect {
  const inner = (store as unknown as { dialect: StatsDialect }).dialect;
  let index = 0;
  return {
    ...inner,
    all: async (sql, params) => {
      const slot = index++;
      const start = performance.now();
      const pending = inner.all(sql, params);
      // better-sqlite3 runs the statement before the promise exists: stop the clock now, before other
      // statements of the same Promise.all run. PostgreSQL answers later: stop it when the rows arrive.
      let elapsed = performance.now() - start;
      const rows = await pending;
      if (!synchronous) elapsed = performance.now() - start;
      timings[slot] = (timings[slot] ?? 0) + elapsed;
      return rows;
    },
  };
}

interface Measured {
  store: string;
  insertMs: number;
  baselineMs: number;
  views: ({ name: string; medianMs: number; minMs: number } | undefined)[];
  parts: number[];
}

async function measure(
  name: string,
  store: EventStore,
  synchronous: boolean,
  countRange: (from: number, to: number) => Promise<unknown>,
  options: { insert: boolean; views: View[] } = { insert: true, views: VIEWS },
) {
  let insertMs = Number.NaN;
  if (options.insert) {
    console.log(`${name}: inserting ${TOTAL.toLocaleString("en-US")} events…`);
    insertMs = await fill(store);
  }
  console.log(`${name}: timing stats()…`);
  const month = queryFor(VIEWS[1] as View);
  await countRange(month.from.getTime(), month.to.getTime());
  const baselineRuns: number[] = [];
  for (let i = 0; i < RUNS; i++)
    baselineRuns.push(await time(() => countRange(month.from.getTime(), month.to.getTime())));
  const views = [];
  for (const view of VIEWS) {
    if (!options.views.includes(view)) {
      views.push(undefined);
      continue;
    }
    const q = queryFor(view);
    await store.stats(q);
    const runs: number[] = [];
    for (let i = 0; i < RUNS; i++) runs.push(await time(() => store.stats(q)));
    views.push({ name: view.name, medianMs: median(runs), minMs: Math.min(...runs) });
  }
  const parts: number[] = [];
  for (let i = 0; i < 3; i++) await computeStats(timedDialect(store, parts, synchronous), month, NOW);
  return {
    store: name,
    insertMs,
    baselineMs: median(baselineRuns),
    views,
    parts: parts.map((t) => t / 3),
  } satisfies Measured;
}

function report(results: Measured[]) {
  const ms = (v: number) => `${v.toFixed(1)} ms`.padStart(11);
  console.log(
    `\n${TOTAL.toLocaleString("en-US")} events over ${DAYS} days, one site; medians of ${RUNS} runs after a warm-up`,
  );
  console.log(`${"".padEnd(26)}${results.map((r) => r.store.padStart(24)).join("")}`);
  const line = (label: string, cell: (r: Measured) => string) =>
    console.log(`${label.padEnd(26)}${results.map((r) => cell(r).padStart(24)).join("")}`);
  line("insert (all events)", (r) => (Number.isNaN(r.insertMs) ? "" : `${(r.insertMs / 1000).toFixed(1)} s`));
  line("baseline COUNT(*) 30 d", (r) => ms(r.baselineMs));
  for (const [i, view] of VIEWS.entries()) {
    line(`stats() ${view.name}`, (r) => {
      const v = r.views[i];
      return v ? `${ms(v.medianMs)} ×${(v.medianMs / r.baselineMs).toFixed(0).padStart(4)}` : "";
    });
  }
  console.log(
    "\n30-day view, per statement (mean of 3; PostgreSQL runs them concurrently, so they overlap):",
  );
  const count = Math.max(...results.map((r) => r.parts.length));
  for (let i = 0; i < count; i++)
    line(`  ${PARTS[i] ?? `statement ${i + 1}`}`, (r) => ms(r.parts[i] ?? Number.NaN));
  for (const r of results) {
    const month = r.views[1];
    if (!month) continue;
    const verdict = month.medianMs <= TARGET_MS ? "within" : "OVER";
    console.log(
      `${r.store} 30-day view: ${month.medianMs.toFixed(0)} ms, ${verdict} the ${TARGET_MS} ms target.`,
    );
  }
  console.log(`cover index: ${PROPOSED_SQLITE_INDEX}`);
}

async function main() {
  const results: Measured[] = [];
  const dir = mkdtempSync(join(tmpdir(), "tracklet-bench-dashboard-"));
  const sqlite = new SqliteStore({ path: join(dir, "bench.sqlite"), now: () => NOW });
  try {
    const count = sqlite.db.prepare("SELECT COUNT(*) AS n FROM events WHERE site = ? AND ts >= ? AND ts < ?");
    const countRange = async (from: number, to: number) => count.get(SITE, from, to);
    results.push(await measure("SQLite", sqlite, true, countRange));
    // The same database with the suggested covering index, measured in the same run.
    sqlite.db.exec(PROPOSED_SQLITE_INDEX);
    results.push(
      await measure("SQLite + cover index", sqlite, true, countRange, {
        insert: false,
        views: [VIEWS[1] as View],
      }),
    );
  } finally {
    await sqlite.close();
    rmSync(dir, { recursive: true, force: true });
  }
  if (process.env.BENCH_SKIP_POSTGRES) {
    console.log("PostgreSQL skipped (BENCH_SKIP_POSTGRES is set).");
  } else {
    const pg = await startThrowawayPostgres();
    const store = new PostgresStore({ connectionString: pg.url, now: () => NOW });
    try {
      await store.migrate();
      results.push(
        await measure("PostgreSQL", store, false, (from, to) =>
          store.pool.query("SELECT COUNT(*) FROM events WHERE site = $1 AND ts >= $2 AND ts < $3", [
            SITE,
            from,
            to,
          ]),
        ),
      );
    } finally {
      await store.close();
      await pg.stop();
    }
  }
  report(results);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
