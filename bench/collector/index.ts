// Collector ingestion throughput: autocannon posts realistic batches (20 events, varied URLs, user agents and
// client IPs) to the collector on SQLite and on PostgreSQL, and to a bare Node handler that only reads the body,
// measured in the same run. Servers run in child processes, loopback only, 10 s per case.
import { fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { startThrowawayPostgres } from "../../packages/collector/src/testing/postgres.js";

const here = dirname(fileURLToPath(import.meta.url));
const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = 32;
const EVENTS_PER_REQUEST = 20;

const USER_AGENTS = [
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0",
  "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36",
];
const PATHS = [
  "/",
  "/pricing",
  "/docs/getting-started",
  "/blog/2024/launch",
  "/app/#/settings",
  "/signup?utm_source=news",
];
const REFERRERS = [
  undefined,
  "https://www.google.com/",
  "https://news.ycombinator.com/",
  "https://bench.example/",
];

function batchBody(seed: number): string {
  const batch = Array.from({ length: EVENTS_PER_REQUEST }, (_, i) => {
    const n = seed * EVENTS_PER_REQUEST + i;
    const url = `https://bench.example${PATHS[n % PATHS.length]}`;
    const referrer = REFERRERS[n % REFERRERS.length];
    if (i % 5 === 4) {
      return {
        type: "event",
        site: "bench.example",
        url,
        name: "Signup",
        props: { plan: n % 2 ? "pro" : "free", step: i },
      };
    }
    if (i % 5 === 3) return { type: "engagement", site: "bench.example", url, engagedMs: 1000 + n };
    return {
      type: "pageview",
      site: "bench.example",
      url,
      title: "Bench page",
      sw: 1280,
      ...(referrer ? { referrer } : {}),
    };
  });
  return JSON.stringify({ batch });
}

interface CaseResult {
  name: string;
  eventsPerSecond: number;
  requestsPerSecond: number;
  p99ms: number;
  non2xx: number;
  accepted?: number;
  stored?: number;
  /** CPU time of the server process (all threads) per event answered 2xx, in microseconds. */
  cpuUsPerEvent: number;
}

async function runCase(name: string, args: string[]): Promise<CaseResult> {
  const child = fork(join(here, "server.ts"), args, {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once("message", (m: { port?: number; error?: string }) =>
      m.port ? resolve(m.port) : reject(new Error(m.error)),
    );
    child.once("exit", (code) => reject(new Error(`${name} server exited with ${code}`)));
  });
  const bodies = Array.from({ length: 64 }, (_, i) => batchBody(i));
  let counter = 0;
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/collect`,
    method: "POST",
    connections: CONNECTIONS,
    duration: DURATION_S,
    headers: { "content-type": "text/plain;charset=UTF-8" },
    requests: [
      {
        setupRequest: (req) => {
          const n = counter++;
          return {
            ...req,
            body: bodies[n % bodies.length],
            headers: {
              ...req.headers,
              "user-agent": USER_AGENTS[n % USER_AGENTS.length] as string,
              // 2,000 simulated clients, so the per-client rate limit is realistic rather than in the way.
              "x-forwarded-for": `10.${(n >> 16) & 255}.${(n >> 8) & 7}.${n & 255}`,
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
    requestsPerSecond: ok / DURATION_S,
    eventsPerSecond: (ok * EVENTS_PER_REQUEST) / DURATION_S,
    p99ms: result.latency.p99,
    non2xx: result.non2xx,
    cpuUsPerEvent: ok > 0 ? ((metrics.cpuMs ?? 0) * 1000) / (ok * EVENTS_PER_REQUEST) : 0,
    ...(metrics.accepted !== undefined ? { accepted: metrics.accepted, stored: metrics.storedInDb } : {}),
  };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "tracklet-bench-"));
  const results: CaseResult[] = [];
  const pg = await startThrowawayPostgres();
  try {
    results.push(await runCase("bare node handler", ["bare"]));
    results.push(await runCase("collector, SQLite", ["collector", join(dir, "bench.sqlite")]));
    results.push(await runCase("collector, PostgreSQL", ["collector", pg.url]));
  } finally {
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const bare = results[0]?.eventsPerSecond ?? 1;
  console.log(
    `\n${CONNECTIONS} connections, ${DURATION_S} s per case, ${EVENTS_PER_REQUEST} events per request\n`,
  );
  console.log(
    "case                     events/s   req/s   p99 ms   vs bare   non-2xx   accepted    stored   cpu µs/event",
  );
  for (const r of results) {
    console.log(
      `${r.name.padEnd(24)} ${r.eventsPerSecond.toFixed(0).padStart(8)} ${r.requestsPerSecond.toFixed(0).padStart(7)} ${String(
        r.p99ms,
      ).padStart(
        8,
      )} ${(r.eventsPerSecond / bare).toFixed(2).padStart(9)} ${String(r.non2xx).padStart(9)} ${String(
        r.accepted ?? "-",
      ).padStart(10)} ${String(r.stored ?? "-").padStart(9)} ${r.cpuUsPerEvent.toFixed(1).padStart(14)}`,
    );
  }
  const sqlite = results[1];
  if (sqlite) {
    const target = sqlite.eventsPerSecond >= 20_000 && sqlite.eventsPerSecond / bare >= 0.5;
    console.log(`\ntarget (SQLite >= 20,000 events/s and >= 0.5 x bare): ${target ? "met" : "NOT met"}`);
  }
  for (const r of results) {
    if (r.accepted !== undefined && r.accepted !== r.stored) {
      console.log(`WARNING: ${r.name} accepted ${r.accepted} events but stored ${r.stored}`);
      process.exitCode = 1;
    }
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
