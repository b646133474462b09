// Browser-SDK-shaped load for the collector benches: one event per request (what the SDK sends), each carrying a
// unique id in its props so the store can be checked row by row (none lost, none written twice).
import { fork } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";

const here = dirname(fileURLToPath(import.meta.url));

const PAGES = ["/", "/pricing", "/docs/getting-started", "/blog/2024/launch", "/signup?utm_source=news"];
const USER_AGENTS = [
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
];
/** Simulated clients (IP + user agent pairs): the per-client rate limit applies to each. */
const CLIENTS = 2000;

/** One SDK event: pageviews, engagement reports and custom events, 4 : 4 : 1. */
export function sdkEventBody(n: number, id: string, extraProps: Record<string, string> = {}): string {
  const url = `https://bench.example${PAGES[n % PAGES.length]}`;
  const kind = n % 9;
  const props = { id, ...extraProps };
  if (kind === 8) return JSON.stringify({ type: "event", site: "bench.example", url, name: "Signup", props });
  if (kind % 2)
    return JSON.stringify({ type: "engagement", site: "bench.example", url, engagedMs: 900, props });
  return JSON.stringify({
    type: "pageview",
    site: "bench.example",
    url,
    title: "Bench",
    referrer: "",
    props,
  });
}

/** Headers of simulated client `client` (the collectors trust X-Forwarded-For in the benches). */
export function clientHeaders(client: number): Record<string, string> {
  return {
    "content-type": "text/plain;charset=UTF-8",
    "user-agent": USER_AGENTS[client % USER_AGENTS.length] as string,
    "x-forwarded-for": `10.0.${client >> 8}.${client & 255}`,
    origin: "https://bench.example",
  };
}

export interface LoadResult {
  /** Requests (= events) answered 2xx. */
  ok: number;
  non2xx: number;
  errors: number;
  p50ms: number;
  p99ms: number;
  maxMs: number;
  seconds: number;
}

export interface LoadOptions {
  url: string;
  /** Prefix of every event id this load sends (ids are `<prefix>-<n>`). */
  idPrefix: string;
  connections: number;
  seconds: number;
  /** Requests per second over all connections (default: as fast as answered). */
  rate?: number;
}

/** Posts SDK events to `url` for `seconds`; every event has a unique id. */
export async function postEvents(options: LoadOptions): Promise<LoadResult> {
  let counter = 0;
  const result = await autocannon({
    url: `${options.url}/collect`,
    method: "POST",
    connections: options.connections,
    duration: options.seconds,
    ...(options.rate ? { overallRate: options.rate } : {}),
    requests: [
      {
        setupRequest: (req) => {
          const n = counter++;
          return {
            ...req,
            body: sdkEventBody(n, `${options.idPrefix}-${n}`),
            headers: { ...req.headers, ...clientHeaders(n % CLIENTS) },
          };
        },
      },
    ],
  });
  return {
    ok: result["2xx"],
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    p50ms: result.latency.p50,
    p99ms: result.latency.p99,
    maxMs: result.latency.max,
    seconds: options.seconds,
  };
}

export interface CollectorProcess {
  url: string;
  /** Memory of the server process now. */
  memory(): Promise<NodeJS.MemoryUsage>;
  /** Since the last call: event-loop delay of the server process (ms), most events waiting for the store. */
  loopDelay(): Promise<{ p99: number; max: number; mostQueued: number }>;
  /** Closes the collector (flushing what it accepted) and ends the process; returns its metrics. */
  stop(): Promise<{ accepted: number; stored: number; dropped: Record<string, number> }>;
}

/**
 * A collector in a child process (`server.ts`) on `store` (a SQLite path or a postgres:// URL); `rollups: false`
 * keeps it from building stats rollups.
 */
export async function startCollector(
  store: string,
  options: { rollups?: boolean } = {},
): Promise<CollectorProcess> {
  const child = fork(join(here, "server.ts"), [store, options.rollups === false ? "no-rollups" : "rollups"], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once("message", (m: { port?: number; error?: string }) =>
      m.port ? resolve(m.port) : reject(new Error(m.error)),
    );
    child.once("exit", (code) => reject(new Error(`collector exited with ${code}`)));
  });
  const ask = <T>(question: string, key: string) =>
    new Promise<T>((resolve) => {
      const listen = (m: Record<string, unknown>) => {
        if (m[key] === undefined) return;
        child.off("message", listen);
        resolve(m[key] as T);
      };
      child.on("message", listen);
      child.send(question);
    });
  return {
    url: `http://127.0.0.1:${port}`,
    memory: () => ask<NodeJS.MemoryUsage>("memory", "memory"),
    loopDelay: () => ask<{ p99: number; max: number; mostQueued: number }>("loop", "loop"),
    stop: () => ask("stop", "done"),
  };
}
