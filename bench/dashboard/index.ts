// Stats query latency behind the dashboard: 1,000,000 generated events (90 days, one site) in SQLite and in a
// throwaway PostgreSQL cluster. For each store: the rollup build time for all events, then each view's stats()
// call (median of BENCH_RUNS after a warm-up), beside the baseline measured in the same run: the raw scan of
// every figure over the events table (`scanStats`, what stats() did before rollups; timed once per view, it is
// slow). The 30-day view is also timed with four goals and a 4-step funnel, and broken down per SQL statement.
// Targets on SQLite: the 30-day view ≤ 300 ms, with goals and the funnel ≤ 500 ms.
// BENCH_EVENTS, BENCH_RUNS and BENCH_SKIP_POSTGRES shrink the run.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { addDays, zonedMidnight } from "../../packages/collector/src/dashboard/zoned-time.js";
import { parseConversionMatch } from "../../packages/collector/src/stats/conversion-match.js";
import { computeRollupStats, readReach } from "../../packages/collector/src/stats/rollup/rollup-stats.js";
import type { RollupDialect } from "../../packages/collector/src/stats/stats-dialect.js";
import type {
  ConversionMatch,
  FunnelDefinition,
  GoalDefinition,
  StatsInterval,
  StatsQuery,
} from "../../packages/collector/src/stats/types.js";
import { PostgresStore } from "../../packages/collector/src/store/postgres/postgres-store.js";
import { SqliteStore } from "../../packages/collector/src/store/sqlite/sqlite-store.js";
import { generateEvents } from "../../packages/collector/test/dashboard/seed.js";
import { startThrowawayPostgres } from "../../packages/collector/test/postgres.js";

const TOTAL = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const DAYS = 90;
const SITE = "bench.example";
const END_DAY = "2026-06-15";
const END = new Date(`${END_DAY}T00:00:00Z`);
/** The stores' clock: noon of the last day, so the last whole days are built and "now" has an open hour. */
const NOW = END.getTime() + 12 * 3_600_000 + 17 * 60_000;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const TARGET_MS = 300;
const CONVERSIONS_TARGET_MS = 500;

function step(text: string): ConversionMatch {
  const match = parseConversionMatch(text);
  if ("error" in match) throw new Error(match.error);
  return match;
}
/** Goals and a 4-step funnel over the seeded events' names, props and paths. */
const GOALS: GoalDefinition[] = Object.entries({
  signup: "event:signup",
  pro_signup: "event:signup plan=pro",
  pricing: "page:/pricing*",
  docs: "page:/docs/*",
}).map(([name, text]) => ({ name, match: step(text) }));
const FUNNELS: FunnelDefinition[] = [
  { name: "docs_to_signup", steps: ["page:/", "page:/docs*", "event:download", "event:signup"].map(step) },
];

type Store = SqliteStore | PostgresStore;

interface View {
  name: string;
  days: number;
  interval: StatsInterval;
  timezone?: string;
  /** Ends at the stores' "now" (open and settling hours read raw) instead of midnight. */
  toNow?: boolean;
  /** Also timed with the raw scan (the baseline). */
  baseline?: boolean;
  /** With the goals and the funnel. */
  conversions?: boolean;
}
const VIEWS: View[] = [
  { name: "1 day / hour", days: 1, interval: "hour", baseline: true },
  { name: "7 days / day", days: 7, interval: "day", baseline: true },
  { name: "30 days / day", days: 30, interval: "day", baseline: true },
  { name: "30 days + goals, 4-step funnel", days: 30, interval: "day", conversions: true, baseline: true },
  { name: "30 days / hour", days: 30, interval: "hour" },
  { name: "30 days / day, Kolkata", days: 30, interval: "day", timezone: "Asia/Kolkata" },
  { name: "30 days to now", days: 30, interval: "day", toNow: true },
  { name: "90 days / week", days: 90, interval: "week" },
];
const MONTH = VIEWS[2] as View;
const MONTH_CONVERSIONS = VIEWS[3] as View;

function queryFor(view: View): StatsQuery {
  const timezone = view.timezone ?? "UTC";
  const to = view.toNow ? new Date(NOW) : zonedMidnight(END_DAY, timezone);
  const from = view.toNow
    ? new Date(NOW - view.days * 86_400_000)
    : zonedMidnight(addDays(END_DAY, -view.days), timezone);
  const conversions = view.conversions ? { goals: GOALS, funnels: FUNNELS } : {};
  return {
    site: SITE,
    from,
    to,
    interval: view.interval,
    timezone,
    limit: 10,
    searchEvents: ["search"],
    ...conversions,
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

async function time(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** Fills a store day by day (a fresh seed per day: visitor hashes change daily, user ids recur). */
async function fill(store: Store): Promise<number> {
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

/** Names a rollup statement by the table and figure it reads. */
function label(sql: string): string {
  const counter = /counter = '(\w+)'/.exec(sql)?.[1];
  if (sql.includes("COUNT(DISTINCT CASE WHEN ts >= ?")) return "goals (journeys, one statement)";
  if (sql.includes("FROM stats_journeys")) return "funnel (journeys)";
  if (sql.includes("FROM stats_sites")) return "rollup reach";
  if (sql.includes("FROM stats_stale")) return "stale hours";
  if (sql.includes("FROM stats_people_hour_counts")) return "distinct people (all windows)";
  if (sql.includes("EXISTS (SELECT 1 FROM stats_people")) return "raw-part people probe";
  if (sql.includes("counter = ? AND")) return "counters";
  if (counter === "totals") return "series pageviews";
  if (counter === "props") return "event props";
  if (sql.includes("previous_hour <> -1 OR next_hour <> -1")) return "sessions spanning hours";
  if (sql.includes("CROSS JOIN stats_sessions ss")) return "sessions touching raw parts";
  if (sql.includes("ss.entry_person_id =")) return "referrer probe";
  if (sql.includes("props") && sql.includes("CROSS JOIN events e")) return "raw-part props";
  if (sql.includes("CROSS JOIN events ev")) return "raw-part events";
  if (sql.includes("now") || sql.includes("ts <= ?")) return "live";
  return sql.replace(/\s+/g, " ").slice(0, 40);
}

/** Times each statement of one rollup stats() computation, summed per label. */
async function statementTimes(
  store: Store,
  synchronous: boolean,
  q: StatsQuery,
): Promise<Map<string, number>> {
  // The dialect is a private field of both stores; reaching it here is the only way to time the parts.
  const inner = (store as unknown as { dialect: RollupDialect }).dialect;
  const out = new Map<string, number>();
  const timed: RollupDialect = {
    ...inner,
    all: async (sql, params) => {
      const start = performance.now();
      const pending = inner.all(sql, params);
      // better-sqlite3 runs the statement before the promise exists: stop the clock now. PostgreSQL answers
      // later: stop it when the rows arrive (concurrent statements then overlap).
      let elapsed = performance.now() - start;
      const rows = await pending;
      if (!synchronous) elapsed = performance.now() - start;
      const name = label(sql);
      out.set(name, (out.get(name) ?? 0) + elapsed);
      return rows;
    },
  };
  const reach = await readReach(timed, q.site);
  if (!reach) throw new Error("no rollups");
  await computeRollupStats(timed, q, NOW, reach);
  return out;
}

interface Measured {
  store: string;
  insertMs: number;
  buildMs: number;
  views: Array<{ rollupMs: number; minMs: number; rawMs: number | undefined }>;
  parts: Map<string, number>;
}

async function measure(name: string, store: Store, synchronous: boolean): Promise<Measured> {
  console.log(`${name}: inserting ${TOTAL.toLocaleString("en-US")} events…`);
  const insertMs = await fill(store);
  console.log(`${name}: building rollups…`);
  const buildMs = await time(() => store.refreshRollups());
  console.log(`${name}: timing stats() from rollups…`);
  const views: Measured["views"] = [];
  for (const view of VIEWS) {
    const q = queryFor(view);
    const scanned = view.baseline ? await store.scanStats(q) : undefined;
    const rolled = await store.stats(q);
    if (scanned && JSON.stringify(scanned) !== JSON.stringify(rolled))
      throw new Error(`${name} ${view.name}: rollup figures differ from the raw scan`);
    const runs: number[] = [];
    for (let i = 0; i < RUNS; i++) runs.push(await time(() => store.stats(q)));
    views.push({ rollupMs: median(runs), minMs: Math.min(...runs), rawMs: undefined });
  }
  console.log(`${name}: timing the raw scan (baseline)…`);
  for (const [i, view] of VIEWS.entries()) {
    if (!view.baseline) continue;
    const q = queryFor(view);
    (views[i] as Measured["views"][number]).rawMs = await time(() => store.scanStats(q));
  }
  const parts = new Map<string, number>();
  for (let i = 0; i < 3; i++) {
    for (const [k, v] of await statementTimes(store, synchronous, queryFor(MONTH_CONVERSIONS)))
      parts.set(k, (parts.get(k) ?? 0) + v / 3);
  }
  return { store: name, insertMs, buildMs, views, parts };
}

function report(results: Measured[]) {
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  const col = 30;
  console.log(
    `\n${TOTAL.toLocaleString("en-US")} events over ${DAYS} days, one site; stats() medians of ${RUNS} runs after a` +
      " warm-up; raw scan (baseline, same run) timed once",
  );
  console.log(`${"".padEnd(col)}${results.map((r) => r.store.padStart(34)).join("")}`);
  const line = (text: string, cell: (r: Measured) => string) =>
    console.log(`${text.padEnd(col)}${results.map((r) => cell(r).padStart(34)).join("")}`);
  line("insert (all events)", (r) => `${(r.insertMs / 1000).toFixed(1)} s`);
  line("rollup build (all events)", (r) => `${(r.buildMs / 1000).toFixed(1)} s`);
  for (const [i, view] of VIEWS.entries()) {
    line(`stats() ${view.name}`, (r) => {
      const v = r.views[i];
      if (!v) return "";
      const raw =
        v.rawMs === undefined
          ? ""
          : ` (raw ${(v.rawMs / 1000).toFixed(2)} s, ×${(v.rawMs / v.rollupMs).toFixed(0)})`;
      return `${ms(v.rollupMs)}${raw}`;
    });
  }
  console.log(
    "\n30-day view with goals and the funnel, per statement (mean of 3; PostgreSQL runs some concurrently):",
  );
  const labels = [...new Set(results.flatMap((r) => [...r.parts.keys()]))];
  for (const l of labels) line(`  ${l}`, (r) => (r.parts.has(l) ? ms(r.parts.get(l) ?? 0) : ""));
  for (const r of results) {
    for (const [view, target] of [
      [MONTH, TARGET_MS],
      [MONTH_CONVERSIONS, CONVERSIONS_TARGET_MS],
    ] as const) {
      const v = r.views[VIEWS.indexOf(view)];
      if (!v) continue;
      const verdict = v.rollupMs <= target ? "within" : "OVER";
      console.log(
        `${r.store} ${view.name}: ${v.rollupMs.toFixed(0)} ms, ${verdict} the ${target} ms target.`,
      );
    }
  }
}

async function main() {
  const results: Measured[] = [];
  const dir = mkdtempSync(join(tmpdir(), "tracklet-bench-dashboard-"));
  const sqlite = new SqliteStore({ path: join(dir, "bench.sqlite"), now: () => NOW, autoRollups: false });
  try {
    results.push(await measure("SQLite", sqlite, true));
  } finally {
    await sqlite.close();
    rmSync(dir, { recursive: true, force: true });
  }
  if (process.env.BENCH_SKIP_POSTGRES) {
    console.log("PostgreSQL skipped (BENCH_SKIP_POSTGRES is set).");
  } else {
    const pg = await startThrowawayPostgres();
    const store = new PostgresStore({ connectionString: pg.url, now: () => NOW, autoRollups: false });
    try {
      await store.migrate();
      results.push(await measure("PostgreSQL", store, false));
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
