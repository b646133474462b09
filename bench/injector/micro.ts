// Micro-benchmark: the bench app (see app.ts) handles fake requests on a socket that discards what it is sent,
// with and without analytics(), in this process. No network and no load generator, and CPU time rather than wall
// time is measured, so the per-request figure is far steadier than req/s on a busy machine; the difference
// between the two apps is the middleware's cost.
import { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { Duplex } from "node:stream";
import { fileURLToPath } from "node:url";
import { createBenchApp, type Variant } from "./app.js";

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
type Handler = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

/** One GET through the app; resolves when the response has finished. */
function requestOnce(app: Handler, path: string): Promise<void> {
  const socket = discardSocket();
  const req = new IncomingMessage(socket);
  req.method = "GET";
  req.url = path;
  req.headers = { host: "bench.local", accept: "text/html", "user-agent": "micro" };
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
async function timeOps(app: Handler, path: string, ops: number): Promise<number> {
  const start = process.cpuUsage();
  for (let i = 0; i < ops; i++) await requestOnce(app, path);
  const used = process.cpuUsage(start);
  return ((used.user + used.system) * 1000) / ops;
}

export interface MicroRow {
  name: string;
  /** Median CPU ns per request over the batches. */
  bareNs: number;
  trackletNs: number;
  /** The same app behind a middleware that only calls `next()`. */
  noopNs: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

export const MICRO_CASES = [
  { name: "50 KB res.send", path: "/send" },
  { name: "res.render (hbs)", path: "/render" },
  { name: "1 MB streamed", path: "/stream" },
  { name: "JSON (not HTML)", path: "/json" },
];

const BATCH = 4;

/**
 * The apps (bare, behind a do-nothing middleware, behind analytics()) live in this process and take turns in
 * small batches (order reversed every turn), so a slow spell of the machine hits them alike; the median batch gives the per-request figure. (Apps in two processes were
 * tried: the two processes' CPU time differed by up to 25% with the very same app.)
 */
export async function runMicro(batches = 400): Promise<MicroRow[]> {
  const apps: Record<Variant, Handler> = {
    bare: createBenchApp("bare", 1024 * 1024) as unknown as Handler,
    noop: createBenchApp("noop", 1024 * 1024) as unknown as Handler,
    tracklet: createBenchApp("tracklet", 1024 * 1024) as unknown as Handler,
  };
  const variants: Variant[] = ["bare", "noop", "tracklet"];
  const rows: MicroRow[] = [];
  for (const { name, path } of MICRO_CASES) {
    for (const v of variants) await timeOps(apps[v], path, 300);
    const ns: Record<Variant, number[]> = { bare: [], noop: [], tracklet: [] };
    for (let turn = 0; turn < batches; turn++) {
      const order = turn % 2 === 0 ? variants : [...variants].reverse();
      for (const v of order) ns[v].push(await timeOps(apps[v], path, BATCH));
    }
    rows.push({
      name,
      bareNs: median(ns.bare),
      noopNs: median(ns.noop),
      trackletNs: median(ns.tracklet),
    });
  }
  return rows;
}

export function printMicro(rows: MicroRow[]): void {
  const fmt = (n: number, digits = 1) => n.toFixed(digits);
  console.log(
    `\nmicro-benchmark: in-process fake requests, CPU µs per request (median of ${BATCH}-request batches)\n`,
  );
  console.log(
    `${"case".padEnd(18)} ${"bare".padStart(8)} ${"noop +µs".padStart(9)} ${"tracklet".padStart(9)} ${"+µs".padStart(7)} ${"ratio".padStart(6)}`,
  );
  for (const row of rows) {
    console.log(
      `${row.name.padEnd(18)} ${fmt(row.bareNs / 1000).padStart(8)} ${fmt((row.noopNs - row.bareNs) / 1000).padStart(9)} ${fmt(row.trackletNs / 1000).padStart(9)} ${fmt((row.trackletNs - row.bareNs) / 1000).padStart(7)} ${fmt(row.bareNs / row.trackletNs, 3).padStart(6)}`,
    );
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  printMicro(await runMicro());
}
