// Collector ingestion throughput: autocannon posts browser-SDK-shaped traffic to the collector on SQLite and on
// PostgreSQL, and to a bare Node handler that only reads the body, for 1, 5 and 20 events per request. Every
// batch size measures the bare handler in the same run, before and after the stores' cases, with the same bodies,
// headers and connection count.
// Servers run in child processes, loopback only. At the end of each collector case, the events the collector
// accepted are counted in the store: accepted must equal stored.
//
// Env: BENCH_DURATION (s per case, default 10), BENCH_BATCHES (default "1,5,20"), BENCH_STORES
// (default "sqlite,sqlite-router,postgres"; also "express": an Express route that does nothing), BENCH_CONNECTIONS
// (default 32), BENCH_PROFILE=<dir> (write V8 CPU profiles of every server process and thread there),
// BENCH_BASELINE=<path to another build's dist/index.js> (measure it too, on each store, in the same run),
// BENCH_ROUNDS (default 1: the whole sequence again, in fresh processes and databases; the table then shows each
// case's median and every round's ratio, and the target is judged on the median ratio).
import { fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { startThrowawayPostgres, type ThrowawayPostgres } from "../../packages/collector/test/postgres.js";

const here = dirname(fileURLToPath(import.meta.url));
const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const BATCH_SIZES = (process.env.BENCH_BATCHES ?? "1,5,20").split(",").map(Number);
const STORES = (process.env.BENCH_STORES ?? "sqlite,sqlite-router,postgres").split(",");
const PROFILE_DIR = process.env.BENCH_PROFILE;
/** Another build's `dist/index.js` (e.g. an earlier commit's) to measure beside this one, on each store. */
const BASELINE = process.env.BENCH_BASELINE;
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 1));
/** Simulated clients (IP + user agent pairs); the per-client rate limit applies to each. */
const CLIENTS = 2000;

const USER_AGENTS = [
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0",
  "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36",
];
const PAGES: Array<[path: string, title: string]> = [
  ["/", "Bench — home"],
  ["/pricing", "Pricing — Bench"],
  ["/docs/getting-started", "Getting started — Bench docs"],
  ["/blog/2024/launch", "We launched — Bench blog"],
  ["/app/#/settings", "Settings — Bench"],
  ["/signup?utm_source=news&utm_medium=email&utm_campaign=spring", "Sign up — Bench"],
];
/** `document.referrer` of a landing pageview: "" for direct visits (the SDK sends it as is). */
const LANDING_REFERRERS = ["", "https://www.google.com/", "https://news.ycombinator.com/", ""];

/**
 * The event mix the browser SDK produces. It sends every event in its own request (no client-side queue):
 * a pageview on each navigation (title, referrer: the landing page's `document.referrer`, then the previous
 * URL), an engagement report for the page being left (before the next pageview and when the tab hides), and
 * custom events from clicks (`Outbound Link: Click`, `File Download`, `data-track`) with props. Per four
 * pages: 4 pageviews, 4 engagements, 1 custom event — 44% / 44% / 11%.
 */
const MIX = ["pageview", "engagement", "pageview", "engagement", "pageview", "event", "engagement"] as const;
const MIX_TAIL = ["pageview", "engagement"] as const;
const SEQUENCE = [...MIX, ...MIX_TAIL];

function sdkEvent(n: number): Record<string, unknown> {
  const page = PAGES[n % PAGES.length] as [string, string];
  const url = `https://bench.example${page[0]}`;
  const previous = `https://bench.example${(PAGES[(n + PAGES.length - 1) % PAGES.length] as [string, string])[0]}`;
  const type = SEQUENCE[n % SEQUENCE.length];
  if (type === "engagement")
    return { type, site: "bench.example", url, engagedMs: 800 + ((n * 7919) % 60_000) };
  if (type === "event") {
    return n % 2
      ? {
          type,
          site: "bench.example",
          url,
          name: "Outbound Link: Click",
          props: { url: "https://github.com/tracklet" },
        }
      : {
          type,
          site: "bench.example",
          url,
          name: "Signup",
          props: { plan: n % 4 ? "pro" : "free", seats: 3 },
        };
  }
  const landing = n % 9 === 0;
  return {
    type: "pageview",
    site: "bench.example",
    url,
    referrer: landing ? LANDING_REFERRERS[(n / 9) % LANDING_REFERRERS.length] : previous,
    title: page[1],
  };
}

/** A request body: one event as the SDK sends it, or `{ batch: [...] }` (a relay, a server, a batching client). */
function body(seed: number, size: number): string {
  if (size === 1) return JSON.stringify(sdkEvent(seed));
  return JSON.stringify({ batch: Array.from({ length: size }, (_, i) => sdkEvent(seed * size + i)) });
}

interface CaseResult {
  name: string;
  batch: number;
  eventsPerSecond: number;
  requestsPerSecond: number;
  p99ms: number;
  non2xx: number;
  accepted?: number;
  stored?: number;
  queueFull?: number;
  /** CPU time of the server process (all threads) per event answered 2xx, in microseconds. */
  cpuUsPerEvent: number;
  /** The same for its main thread alone (Linux), where HTTP and validation run; the rest is the writer and V8. */
  mainCpuUsPerEvent: number | undefined;
}

async function runCase(name: string, batch: number, args: string[]): Promise<CaseResult> {
  const profile = PROFILE_DIR
    ? ["--cpu-prof", `--cpu-prof-dir=${join(PROFILE_DIR, `${name.replace(/\W+/g, "-")}-${batch}`)}`]
    : [];
  const child = fork(join(here, "server.ts"), args, {
    execArgv: ["--import", "tsx", ...profile],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once("message", (m: { port?: number; error?: string }) =>
      m.port ? resolve(m.port) : reject(new Error(m.error)),
    );
    child.once("exit", (code) => reject(new Error(`${name} server exited with ${code}`)));
  });
  const bodies = Array.from({ length: 252 }, (_, i) => body(i, batch));
  let counter = 0;
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/collect`,
    method: "POST",
    connections: CONNECTIONS,
    duration: DURATION_S,
    // What fetch() labels a string body, as the SDK sends it.
    headers: { "content-type": "text/plain;charset=UTF-8" },
    requests: [
      {
        setupRequest: (req) => {
          const n = counter++;
          const client = n % CLIENTS;
          return {
            ...req,
            body: bodies[n % bodies.length],
            headers: {
              ...req.headers,
              "user-agent": USER_AGENTS[client % USER_AGENTS.length] as string,
              "x-forwarded-for": `10.0.${client >> 8}.${client & 255}`,
              // Browsers send Origin with every POST, same-origin or not.
              origin: "https://bench.example",
            },
          };
        },
      },
    ],
  });
  const done = new Promise<Record<string, number>>((resolve) => {
    child.on("message", (m: { done?: Record<string, number> }) => m.done && resolve(m.done));
  });
  child.send("stop");
  const metrics = await done;
  const ok = result["2xx"];
  return {
    name,
    batch,
    requestsPerSecond: ok / DURATION_S,
    eventsPerSecond: (ok * batch) / DURATION_S,
    p99ms: result.latency.p99,
    non2xx: result.non2xx,
    cpuUsPerEvent: ok > 0 ? ((metrics.cpuMs ?? 0) * 1000) / (ok * batch) : 0,
    mainCpuUsPerEvent:
      ok > 0 && metrics.mainCpuMs !== undefined ? (metrics.mainCpuMs * 1000) / (ok * batch) : undefined,
    ...(metrics.accepted !== undefined
      ? { accepted: metrics.accepted, stored: metrics.storedInDb, queueFull: metrics.queueFull }
      : {}),
  };
}

/** One row for two runs of the same case: rates and CPU averaged, p99 the worse, counts added. */
function meanOf(a: CaseResult, b: CaseResult): CaseResult {
  return {
    ...a,
    eventsPerSecond: (a.eventsPerSecond + b.eventsPerSecond) / 2,
    requestsPerSecond: (a.requestsPerSecond + b.requestsPerSecond) / 2,
    p99ms: Math.max(a.p99ms, b.p99ms),
    non2xx: a.non2xx + b.non2xx,
    cpuUsPerEvent: (a.cpuUsPerEvent + b.cpuUsPerEvent) / 2,
    mainCpuUsPerEvent:
      a.mainCpuUsPerEvent === undefined || b.mainCpuUsPerEvent === undefined
        ? undefined
        : (a.mainCpuUsPerEvent + b.mainCpuUsPerEvent) / 2,
  };
}

/** One round: every batch size, the bare handler before and after the stores' cases. */
async function runRound(
  round: number,
  dir: string,
  pg: ThrowawayPostgres | undefined,
): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const batch of BATCH_SIZES) {
    const bareBefore = await runCase("bare node handler", batch, ["bare"]);
    const bareAt = results.length;
    results.push(bareBefore);
    if (STORES.includes("express")) results.push(await runCase("express, no work", batch, ["express"]));
    if (STORES.includes("sqlite"))
      results.push(
        await runCase("collector, SQLite", batch, ["collector", join(dir, `bench-${round}-${batch}.sqlite`)]),
      );
    if (BASELINE)
      results.push(
        await runCase("SQLite, baseline build", batch, [
          "collector",
          join(dir, `bench-baseline-${round}-${batch}.sqlite`),
          "listener",
          BASELINE,
        ]),
      );
    if (STORES.includes("sqlite-router"))
      results.push(
        await runCase("SQLite, Express router", batch, [
          "collector",
          join(dir, `bench-router-${round}-${batch}.sqlite`),
          "router",
        ]),
      );
    if (pg && BASELINE)
      results.push(
        await runCase("PostgreSQL, baseline build", batch, [
          "collector",
          await pg.createDatabase(`bench_baseline_${round}_${batch}`),
          "listener",
          BASELINE,
        ]),
      );
    if (pg)
      results.push(
        await runCase("collector, PostgreSQL", batch, [
          "collector",
          await pg.createDatabase(`bench_${round}_${batch}`),
        ]),
      );
    // The bare handler runs again after the stores: the ratios divide by the mean of both runs, so the machine
    // drifting during the batch size's cases moves the baseline with them.
    results[bareAt] = meanOf(bareBefore, await runCase("bare node handler", batch, ["bare"]));
  }
  return results;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Each result's ratio to the bare handler of its round and batch size. */
function ratioOf(r: CaseResult, round: CaseResult[]): number {
  const bare = round.find((b) => b.batch === r.batch && b.name === "bare node handler")?.eventsPerSecond ?? 1;
  return r.eventsPerSecond / bare;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "tracklet-bench-"));
  const rounds: CaseResult[][] = [];
  const pg: ThrowawayPostgres | undefined = STORES.includes("postgres")
    ? await startThrowawayPostgres()
    : undefined;
  try {
    for (let round = 0; round < ROUNDS; round++) rounds.push(await runRound(round, dir, pg));
  } finally {
    await pg?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  // Per case: the median of the rounds (the first round's counts, which the accepted = stored check reads).
  const first = rounds[0] as CaseResult[];
  const results = first.map((r, i) => {
    const runs = rounds.map((round) => round[i] as CaseResult);
    const mainCpu = runs.map((x) => x.mainCpuUsPerEvent);
    return {
      ...r,
      eventsPerSecond: median(runs.map((x) => x.eventsPerSecond)),
      requestsPerSecond: median(runs.map((x) => x.requestsPerSecond)),
      p99ms: median(runs.map((x) => x.p99ms)),
      cpuUsPerEvent: median(runs.map((x) => x.cpuUsPerEvent)),
      mainCpuUsPerEvent: mainCpu.every((x) => x !== undefined) ? median(mainCpu as number[]) : undefined,
      ratios: rounds.map((round) => ratioOf(round[i] as CaseResult, round)),
    };
  });
  console.log(
    `\n${CONNECTIONS} connections, ${DURATION_S} s per case, ${ROUNDS} round(s) (the bare handler: mean of a run before and one after the stores'). Bodies: browser-SDK events (44% pageviews, 44% engagement,` +
      "\n11% custom events with props); 1 per request is what the SDK sends, 5 and 20 are `{ batch }` bodies.\n",
  );
  console.log(
    "case                        batch   events/s   req/s   p99 ms   vs bare   non-2xx   503 events   accepted     stored   cpu µs/event   main thread",
  );
  for (const r of results) {
    console.log(
      [
        r.name.padEnd(27),
        String(r.batch).padStart(5),
        r.eventsPerSecond.toFixed(0).padStart(10),
        r.requestsPerSecond.toFixed(0).padStart(7),
        String(r.p99ms).padStart(8),
        median(r.ratios).toFixed(2).padStart(9),
        String(r.non2xx).padStart(9),
        String(r.queueFull ?? "-").padStart(12),
        String(r.accepted ?? "-").padStart(10),
        String(r.stored ?? "-").padStart(10),
        r.cpuUsPerEvent.toFixed(1).padStart(14),
        (r.mainCpuUsPerEvent === undefined ? "-" : r.mainCpuUsPerEvent.toFixed(1)).padStart(13),
      ].join(" "),
    );
  }
  if (ROUNDS > 1) {
    console.log(`\neach round's ratio to its own bare handler (${ROUNDS} rounds; the table shows medians):`);
    for (const r of results.filter((x) => x.name !== "bare node handler"))
      console.log(
        `  ${r.name.padEnd(27)} ${String(r.batch).padStart(5)}   ${r.ratios.map((x) => x.toFixed(2)).join("  ")}`,
      );
  }
  console.log(
    `\ntarget: SQLite >= 20,000 events/s and >= 0.5 x the bare handler${ROUNDS > 1 ? " (medians of the rounds)" : ""}`,
  );
  for (const r of results.filter((x) => x.name === "collector, SQLite")) {
    const met = r.eventsPerSecond >= 20_000 && median(r.ratios) >= 0.5;
    console.log(`  ${String(r.batch).padStart(2)} events per request: ${met ? "met" : "NOT met"}`);
  }
  for (const round of rounds) {
    for (const r of round) {
      if (r.accepted !== undefined && r.accepted !== r.stored) {
        console.log(
          `WARNING: ${r.name} (batch ${r.batch}) accepted ${r.accepted} events but stored ${r.stored}`,
        );
        process.exitCode = 1;
      }
    }
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
