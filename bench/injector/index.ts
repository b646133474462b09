// The analytics() middleware against the same Express app without it (app.ts): 50 KB res.send, a Handlebars
// res.render and a 10 MB streamed page. First an in-process micro-benchmark (CPU time per request, see micro.ts),
// then HTTP: each server runs in its own child process, loopback only, both warmed, in alternating rounds.
import { type ChildProcess, fork } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { printMicro, runMicro } from "./micro.js";

const DURATION_S = Number(process.env.BENCH_DURATION ?? 5);
const here = dirname(fileURLToPath(import.meta.url));

interface Memory {
  rss: number;
  heapUsed: number;
}

interface Server {
  child: ChildProcess;
  port: number;
  latest: Memory;
  peak: Memory;
}

async function start(variant: "bare" | "tracklet"): Promise<Server> {
  const child = fork(join(here, "server.ts"), [variant], { execArgv: ["--import", "tsx"], stdio: "inherit" });
  return new Promise((resolve, reject) => {
    const server: Server = { child, port: 0, latest: { rss: 0, heapUsed: 0 }, peak: { rss: 0, heapUsed: 0 } };
    child.on("message", (message: { type: string; port?: number; rss?: number; heapUsed?: number }) => {
      if (message.type === "ready") {
        server.port = message.port ?? 0;
        resolve(server);
      } else if (message.type === "memory") {
        server.latest = { rss: message.rss ?? 0, heapUsed: message.heapUsed ?? 0 };
        server.peak = {
          rss: Math.max(server.peak.rss, server.latest.rss),
          heapUsed: Math.max(server.peak.heapUsed, server.latest.heapUsed),
        };
      }
    });
    child.on("error", reject);
    child.on("exit", (code) => reject(new Error(`bench server exited with ${code}`)));
  });
}

async function stop(server: Server): Promise<void> {
  server.child.removeAllListeners("exit");
  const exited = new Promise((resolve) => server.child.once("exit", resolve));
  server.child.kill();
  await exited;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Row {
  name: string;
  variant: "bare" | "tracklet";
  reqPerSec: number;
  p99: number;
  extraRss: number;
  extraHeap: number;
  errors: number;
}

const ROUNDS = 5;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/**
 * Both servers run side by side and take turns in short rounds (order alternating), so the machine's drift
 * hits both alike; req/s is the total over all rounds, p99 the median of the rounds'.
 */
async function measure(name: string, path: string, connections: number): Promise<Row[]> {
  const servers = { bare: await start("bare"), tracklet: await start("tracklet") };
  try {
    const variants = ["bare", "tracklet"] as const;
    const stats = Object.fromEntries(
      variants.map((v) => [
        v,
        { requests: 0, seconds: 0, p99s: [] as number[], errors: 0, baseline: { rss: 0, heapUsed: 0 } },
      ]),
    ) as Record<
      (typeof variants)[number],
      { requests: number; seconds: number; p99s: number[]; errors: number; baseline: Memory }
    >;
    for (const v of variants) {
      const url = `http://127.0.0.1:${servers[v].port}${path}`;
      const injected = (await (await fetch(url)).text()).includes("data-tracklet-snippet");
      if (injected !== (v === "tracklet"))
        throw new Error(`${name}: ${v} server ${injected ? "injects" : "does not inject"}`);
      await autocannon({ url, connections, duration: 1 });
    }
    await sleep(300);
    for (const v of variants) {
      stats[v].baseline = { ...servers[v].latest };
      servers[v].peak = { ...servers[v].latest };
    }
    const roundSeconds = Math.max(1, DURATION_S / ROUNDS);
    for (let round = 0; round < ROUNDS; round++) {
      for (const v of round % 2 === 0 ? variants : [...variants].reverse()) {
        const result = await autocannon({
          url: `http://127.0.0.1:${servers[v].port}${path}`,
          connections,
          duration: roundSeconds,
        });
        stats[v].requests += result.requests.total;
        stats[v].seconds += result.duration;
        stats[v].p99s.push(result.latency.p99);
        stats[v].errors += result.errors + result.non2xx;
      }
    }
    await sleep(100);
    return variants.map((v) => ({
      name,
      variant: v,
      reqPerSec: stats[v].requests / stats[v].seconds,
      p99: median(stats[v].p99s),
      extraRss: (servers[v].peak.rss - stats[v].baseline.rss) / 1048576,
      extraHeap: (servers[v].peak.heapUsed - stats[v].baseline.heapUsed) / 1048576,
      errors: stats[v].errors,
    }));
  } finally {
    await Promise.all([stop(servers.bare), stop(servers.tracklet)]);
  }
}

const cases = [
  { name: "50 KB res.send", path: "/send", connections: 10 },
  { name: "res.render (hbs)", path: "/render", connections: 10 },
  { name: "10 MB streamed", path: "/stream", connections: 4 },
];

// BENCH_MICRO=0 skips the micro-benchmark, BENCH_HTTP=0 the HTTP one.
const micro = process.env.BENCH_MICRO === "0" ? [] : await runMicro();
if (micro.length > 0) printMicro(micro);
if (process.env.BENCH_HTTP === "0") process.exit(0);

const rows: Row[] = [];
// BENCH_CASES=send,stream runs a subset (matched against the path).
const only = process.env.BENCH_CASES?.split(",").map((name) => `/${name.trim()}`);
for (const c of cases.filter((x) => !only || only.includes(x.path)))
  rows.push(...(await measure(c.name, c.path, c.connections)));

const fmt = (n: number, digits = 1) => n.toFixed(digits);
console.log(
  `\n@tracklet/injector analytics() middleware, ${DURATION_S} s per server per case in ${ROUNDS} alternating rounds, loopback\n`,
);
console.log(
  `${"case".padEnd(18)} ${"server".padEnd(9)} ${"req/s".padStart(9)} ${"p99 ms".padStart(7)} ${"ratio".padStart(6)} ${"peak +RSS MB".padStart(13)} ${"peak +heap MB".padStart(14)} ${"errors".padStart(6)}`,
);
for (const row of rows) {
  const bare = rows.find((r) => r.name === row.name && r.variant === "bare") as Row;
  console.log(
    `${row.name.padEnd(18)} ${row.variant.padEnd(9)} ${fmt(row.reqPerSec).padStart(9)} ${fmt(row.p99, 0).padStart(7)} ${fmt(row.reqPerSec / bare.reqPerSec, 3).padStart(6)} ${fmt(row.extraRss).padStart(13)} ${fmt(row.extraHeap).padStart(14)} ${String(row.errors).padStart(6)}`,
  );
}
