// Micro-benchmark: the bench app (see app.ts) handles fake requests on a socket that discards what it is sent,
// with and without analytics(), in this process. No network and no load generator, and CPU time rather than wall
// time is measured, so the per-request figure is far steadier than req/s on a busy machine; the difference
// between the two apps is the middleware's cost.
import { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { Duplex } from "node:stream";
import { fileURLToPath } from "node:url";
import { BASELINE, createBenchApp, type Variant } from "./app.js";

/** A socket stand-in that accepts every write at once (a reader that never pushes back). */
function discardSocket(): Socket {
  const socket = new Duplex({
    writableHighWaterMark: 1 << 30,
    read() {},
    write(_chunk, _encoding, done) {
      done();
    },
    writev(_chunks, done) {
      done();
    },
  });
  return socket as unknown as Socket;
}

/** The app as the `http` server calls it. */
export type RequestHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void;

/** One GET through the app; resolves when the response has finished. */
export function requestOnce(app: RequestHandler, path: string): Promise<void> {
  const socket = discardSocket();
  const req = new IncomingMessage(socket);
  req.method = "GET";
  req.url = path;
  // A browser's navigation, so a page counted for Coverage (BENCH_DOCUMENTS=1) goes the whole way.
  req.headers = {
    host: "bench.local",
    accept: "text/html",
    "user-agent":
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "sec-fetch-dest": "document",
    "sec-fetch-mode": "navigate",
  };
  req.push(null);
  const res = new ServerResponse(req);
  res.assignSocket(socket);
  return new Promise((resolve, reject) => {
    res.once("finish", () => {
      res.detachSocket(socket);
      resolve();
    });
    app(req, res, (error?: unknown) => reject(error ?? new Error(`${path} not handled`)));
  });
}

/** CPU time (user + system) per request in ns, over `ops` requests: other processes on a busy machine do not count. */
async function timeOps(app: RequestHandler, path: string, ops: number): Promise<number> {
  const start = process.cpuUsage();
  for (let i = 0; i < ops; i++) await requestOnce(app, path);
  const used = process.cpuUsage(start);
  return ((used.user + used.system) * 1000) / ops;
}

export interface MicroRow {
  name: string;
  /** Median CPU ns per request over the batches, per app. */
  ns: Partial<Record<Variant, number>>;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

export const MICRO_CASES = [
  { name: "50 KB res.send", path: "/send" },
  { name: "res.render (hbs)", path: "/render" },
  { name: "1 MB streamed", path: "/stream" },
  { name: "JSON (not HTML)", path: "/json" },
];

const BATCH = 4;

/** The apps measured: bare, behind a do-nothing middleware, behind this build's analytics() and the baseline's. */
export const MICRO_VARIANTS: Variant[] = [
  "bare",
  "noop",
  "tracklet",
  ...(BASELINE ? (["baseline"] as const) : []),
];

/**
 * The apps live in this process and take turns in small batches (order reversed every turn), so a slow spell of
 * the machine hits them alike; the median batch gives the per-request figure. They share one heap, though: one
 * app's garbage is collected during another's turn. `isolated.ts` runs each app alone in a process instead.
 */
export async function runMicro(
  batches = Number(process.env.BENCH_MICRO_BATCHES ?? 400),
): Promise<MicroRow[]> {
  const variants = MICRO_VARIANTS;
  const apps = {} as Record<Variant, RequestHandler>;
  for (const v of variants) apps[v] = (await createBenchApp(v, 1024 * 1024)) as unknown as RequestHandler;
  const rows: MicroRow[] = [];
  for (const { name, path } of MICRO_CASES) {
    for (const v of variants) await timeOps(apps[v], path, 300);
    const ns = Object.fromEntries(variants.map((v) => [v, [] as number[]])) as Record<Variant, number[]>;
    for (let turn = 0; turn < batches; turn++) {
      const order = turn % 2 === 0 ? variants : [...variants].reverse();
      for (const v of order) ns[v].push(await timeOps(apps[v], path, BATCH));
    }
    rows.push({ name, ns: Object.fromEntries(variants.map((v) => [v, median(ns[v])])) });
  }
  return rows;
}

export const IN_PROCESS_METHOD = `the apps in this process, CPU µs per request (median of ${BATCH}-request batches)`;
export const ISOLATED_METHOD = "each app alone in a process, CPU µs per request (median of the runs)";

export function printMicro(rows: MicroRow[], method = IN_PROCESS_METHOD): void {
  const fmt = (n: number, digits = 1) => n.toFixed(digits);
  const others = MICRO_VARIANTS.filter((v) => v !== "bare");
  console.log(`\nmicro-benchmark: fake requests, ${method}; +µs and ratio against bare\n`);
  console.log(
    `${"case".padEnd(18)} ${"bare".padStart(8)} ${others.map((v) => `${`${v} +µs`.padStart(14)} ${"ratio".padStart(6)}`).join(" ")}`,
  );
  for (const row of rows) {
    const bare = row.ns.bare ?? 0;
    const cells = others.map((v) => {
      const ns = row.ns[v] ?? 0;
      return `${fmt((ns - bare) / 1000).padStart(14)} ${fmt(bare / ns, 3).padStart(6)}`;
    });
    console.log(`${row.name.padEnd(18)} ${fmt(bare / 1000).padStart(8)} ${cells.join(" ")}`);
  }
}
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  printMicro(await runMicro());
}
