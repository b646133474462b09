// The analytics() middleware against the same Express app without it (app.ts): 50 KB res.send, a Handlebars
// res.render and a 10 MB streamed page. With BENCH_BASELINE=<another build's dist/index.js>, that build's
// analytics() is measured against the same bare app in the same rounds. First an in-process micro-benchmark (CPU time per request, see micro.ts),
// then HTTP: each server runs in its own child process, loopback only, both warmed, in alternating rounds, with a
// fresh pair of processes every round (the same app measured in two processes differs by up to ±7% here, so one
// pair alone decides nothing).
import { type ChildProcess, fork } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { BASELINE, type Variant } from "./app.js";
import { runIsolated } from "./isolated.js";
import { IN_PROCESS_METHOD, ISOLATED_METHOD, printMicro, runMicro } from "./micro.js";

const DURATION_S = Number(process.env.BENCH_DURATION ?? 12);
const here = dirname(fileURLToPath(import.meta.url));
/**
 * The app measured against the bare one: `tracklet` (default), or `noop` (a middleware that only calls `next()`: the
 * floor any middleware costs) or `bare` itself (an A/A run: how far apart two copies of one app measure).
 */
const COMPARED = (process.env.BENCH_AGAINST ?? "tracklet") as Variant;
if (!["tracklet", "noop", "bare"].includes(COMPARED))
  throw new Error(`BENCH_AGAINST must be tracklet, noop or bare, not ${COMPARED}`);
/** The apps of every round: the bare app first (the reference), then the ones measured against it. */
const APPS: readonly Variant[] = ["bare", COMPARED, ...(BASELINE ? (["baseline"] as const) : [])];
const injects = (v: Variant) => v === "tracklet" || v === "baseline";

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

async function start(variant: Variant): Promise<Server> {
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

/** The server process's CPU time so far, in µs (user + system, all threads). */
function cpuOf(server: Server): Promise<number> {
  return new Promise((resolve) => {
    const onMessage = (message: { type: string; micros?: number }) => {
      if (message.type !== "cpu") return;
      server.child.off("message", onMessage);
      resolve(message.micros ?? 0);
    };
    server.child.on("message", onMessage);
    server.child.send("cpu");
  });
}

interface Row {
  name: string;
  /** The app: `bare`, or the one compared with it. */
  variant: Variant;
  /** True for the bare app's row (the baseline). */
  baseline: boolean;
  reqPerSec: number;
  p99: number;
  extraRss: number;
  extraHeap: number;
  errors: number;
  /** Server CPU time per request (µs, all threads): the middleware's cost, less blurred by the load generator. */
  cpuPerRequest: number;
  /** Per-round ratios to bare (the compared app's rows). */
  ratios: number[];
}

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
/** Bursts per server per round (each at least 1 s), the servers' order rotating every burst. */
const BURSTS = Number(process.env.BENCH_BURSTS ?? 4);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/** `list` rotated left by `by`. */
const rotated = <T>(list: readonly T[], by: number): T[] =>
  list.map((_, i) => list[(i + by) % list.length] as T);

interface Tally {
  requests: number;
  seconds: number;
  p99s: number[];
  errors: number;
  rss: number;
  heap: number;
  cpu: number;
  ratios: number[];
}

/** Starts the round's servers in `order` (slot indexes into {@link APPS}), checks what each sends and warms it. */
async function startRound(
  order: number[],
  name: string,
  path: string,
  connections: number,
): Promise<Server[]> {
  const servers: Server[] = [];
  for (const slot of order) servers[slot] = await start(APPS[slot] as Variant);
  for (const slot of order) {
    const url = `http://127.0.0.1:${(servers[slot] as Server).port}${path}`;
    const injected = (await (await fetch(url)).text()).includes("data-tracklet-snippet");
    if (injected !== injects(APPS[slot] as Variant))
      throw new Error(`${name}: ${APPS[slot]} server ${injected ? "injects" : "does not inject"}`);
    await autocannon({ url, connections, duration: 1 });
  }
  return servers;
}

/**
 * Every round starts a fresh set of servers, warms them, measures them in bursts (the order rotating every burst,
 * so a slow spell of the machine hits all alike) and stops them: a fresh set per round, because the same app in
 * two processes differs by several percent. req/s is the total over all rounds, p99 the median of the bursts',
 * memory the largest rise over a round's warmed baseline; `ratios` holds each round's ratio of an app to bare, and
 * the case's ratio is their median.
 */
async function measure(name: string, path: string, connections: number): Promise<Row[]> {
  const slots = APPS.map((_, i) => i);
  const stats: Tally[] = APPS.map(() => ({
    requests: 0,
    seconds: 0,
    p99s: [],
    errors: 0,
    rss: 0,
    heap: 0,
    cpu: 0,
    ratios: [],
  }));
  const roundSeconds = Math.max(1, DURATION_S / ROUNDS);
  const bursts = Math.max(1, Math.min(BURSTS, Math.floor(roundSeconds)));
  const burstSeconds = roundSeconds / bursts;
  for (let round = 0; round < ROUNDS; round++) {
    // Started and warmed in turns: no app always gets the first process or the longer rest before measuring.
    const servers = await startRound(rotated(slots, round), name, path, connections);
    try {
      await sleep(300);
      const baseline = servers.map((server) => ({ ...server.latest }));
      for (const server of servers) server.peak = { ...server.latest };
      const inRound = slots.map(() => ({ requests: 0, seconds: 0 }));
      for (let burst = 0; burst < bursts; burst++) {
        for (const slot of rotated(slots, round + burst)) {
          const server = servers[slot] as Server;
          const tally = stats[slot] as Tally;
          const cpuBefore = await cpuOf(server);
          const result = await autocannon({
            url: `http://127.0.0.1:${server.port}${path}`,
            connections,
            duration: burstSeconds,
          });
          tally.cpu += (await cpuOf(server)) - cpuBefore;
          tally.requests += result.requests.total;
          tally.seconds += result.duration;
          tally.p99s.push(result.latency.p99);
          tally.errors += result.errors + result.non2xx;
          (inRound[slot] as { requests: number }).requests += result.requests.total;
          (inRound[slot] as { seconds: number }).seconds += result.duration;
        }
      }
      await sleep(100);
      const perSecond = inRound.map((r) => r.requests / r.seconds);
      for (const slot of slots) {
        const tally = stats[slot] as Tally;
        const server = servers[slot] as Server;
        tally.rss = Math.max(tally.rss, server.peak.rss - (baseline[slot] as Memory).rss);
        tally.heap = Math.max(tally.heap, server.peak.heapUsed - (baseline[slot] as Memory).heapUsed);
        if (slot > 0) tally.ratios.push((perSecond[slot] as number) / (perSecond[0] as number));
      }
    } finally {
      await Promise.all(servers.map(stop));
    }
  }
  return slots.map((slot) => {
    const tally = stats[slot] as Tally;
    return {
      name,
      variant: APPS[slot] as Variant,
      baseline: slot === 0,
      reqPerSec: tally.requests / tally.seconds,
      p99: median(tally.p99s),
      extraRss: tally.rss / 1048576,
      extraHeap: tally.heap / 1048576,
      errors: tally.errors,
      cpuPerRequest: tally.cpu / Math.max(1, tally.requests),
      ratios: tally.ratios,
    };
  });
}

const cases = [
  { name: "50 KB res.send", path: "/send", connections: 10 },
  { name: "res.render (hbs)", path: "/render", connections: 10 },
  { name: "10 MB streamed", path: "/stream", connections: 4 },
];

// BENCH_MICRO=0 skips the micro-benchmark, BENCH_MICRO=isolated runs each app in a process of its own,
// BENCH_HTTP=0 skips the HTTP one.
const isolated = process.env.BENCH_MICRO === "isolated";
const micro = process.env.BENCH_MICRO === "0" ? [] : isolated ? await runIsolated() : await runMicro();
if (micro.length > 0) printMicro(micro, isolated ? ISOLATED_METHOD : IN_PROCESS_METHOD);
if (process.env.BENCH_HTTP === "0") process.exit(0);

const rows: Row[] = [];
// BENCH_CASES=send,stream runs a subset (matched against the path).
const only = process.env.BENCH_CASES?.split(",").map((name) => `/${name.trim()}`);
for (const c of cases.filter((x) => !only || only.includes(x.path)))
  rows.push(...(await measure(c.name, c.path, c.connections)));

const fmt = (n: number, digits = 1) => n.toFixed(digits);
console.log(
  `\n${APPS.slice(1).join(" and ")} against the bare app${BASELINE ? ` (baseline: ${BASELINE})` : ""}, ${DURATION_S} s per server per case in ${ROUNDS} rounds (a fresh set of server processes each, measured in ${BURSTS} bursts in rotating order), loopback; ratio: the median of the rounds' ratios\n`,
);
console.log(
  `${"case".padEnd(18)} ${"server".padEnd(9)} ${"req/s".padStart(9)} ${"p99 ms".padStart(7)} ${"ratio".padStart(6)} ${"rounds' ratios".padStart(15)} ${"peak +RSS MB".padStart(13)} ${"peak +heap MB".padStart(14)} ${"errors".padStart(6)} ${"CPU µs/req".padStart(10)} ${"CPU ratio".padStart(9)}`,
);
for (const row of rows) {
  const bare = rows.find((r) => r.name === row.name && r.baseline) as Row;
  const spread =
    row.ratios.length > 0 ? `${fmt(Math.min(...row.ratios), 2)}–${fmt(Math.max(...row.ratios), 2)}` : "";
  console.log(
    `${row.name.padEnd(18)} ${row.variant.padEnd(9)} ${fmt(row.reqPerSec).padStart(9)} ${fmt(row.p99, 0).padStart(7)} ${fmt(row.ratios.length > 0 ? median(row.ratios) : 1, 3).padStart(6)} ${spread.padStart(15)} ${fmt(row.extraRss).padStart(13)} ${fmt(row.extraHeap).padStart(14)} ${String(row.errors).padStart(6)} ${fmt(row.cpuPerRequest).padStart(10)} ${fmt(bare.cpuPerRequest / row.cpuPerRequest, 3).padStart(9)}`,
  );
}
