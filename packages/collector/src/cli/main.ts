import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { parsePositiveInteger } from "@tracklet/config";
import express from "express";
import { type Collector, createCollector } from "../collector.js";
import { resolveCollectorSettings } from "../config/collector-config.js";
import type { LongOperationOptions } from "../lifecycle/long-operation.js";
import { retentionCutoff } from "../lifecycle/retention.js";
import { openStore } from "../store/open-store.js";
import type { EventStore } from "../store/types.js";
import { formatCollectorSettings } from "./check-settings.js";
import { INTERRUPTED_EXIT, interruptible, isInterrupted } from "./interruptible.js";
import { progressDisplay } from "./progress-display.js";

export const USAGE = `usage: tracklet-collector <command> [options]

commands:
  serve       run a standalone collector (POST /collect, /api/stats, /api/sites, the dashboard at /)
              --port N (default 8787)  --host H (default 127.0.0.1)  --token T (stats/dashboard bearer token)
              --request-timeout MS (default 30000: a request, body included, must arrive within it; headers
              within min(MS, 10000)) so slow clients cannot hold connections open
  check       print every [collector] setting with where it came from (secrets masked); exit 1 when invalid
  migrate     apply pending schema migrations
  rollups     build the dashboard's stats rollups now (a backfill); --rebuild-from YYYY-MM-DD first drops
              them from that UTC day on (1970-01-01: all)
  status      event counts per site and a store integrity check (exit 1 when it fails)
  retention   delete events older than --days N
  erase       delete every event of --user ID (and the anonymous events of the same daily visitor hashes)

migrate, rollups, retention and erase work in short steps, show progress on stderr (a bar on a terminal,
lines otherwise) and stop cleanly on Ctrl-C: the store stays consistent, exit code 130, and running the
command again goes on from where it stopped.

every command takes:
  --store S   SQLite file path or postgres:// URL (default: [collector] store, else ./.tracklet/tracklet.sqlite)
  --config F  airflow.cfg-style file with a [collector] section (default: $TRACKLET_CONFIG)
`;

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: Record<string, string | undefined>;
  /** Resolves when `serve` should stop (default: SIGINT or SIGTERM). */
  stopSignal?: Promise<void>;
  /** Called once `serve` listens, with its URL. */
  onListening?(url: string): void;
  /** Whether `err` is a terminal (progress bar rather than lines). */
  errIsTTY?: boolean;
  /** Stops `migrate`, `rollups`, `retention` and `erase` (default: SIGINT or SIGTERM). */
  interrupt?: AbortSignal;
}

const defaultIo = (): CliIo => ({
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  env: process.env,
  errIsTTY: process.stderr.isTTY,
});

class UsageError extends Error {}

/** `--name value` / `--name=value` pairs after the command. */
function parseFlags(args: string[], allowed: string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!m) throw new UsageError(`unexpected argument ${JSON.stringify(arg)}`);
    const name = m[1] as string;
    if (!allowed.includes(name)) throw new UsageError(`unknown option --${name}`);
    let value = m[2];
    if (value === undefined) {
      value = args[++i];
      if (value === undefined || value.startsWith("--")) throw new UsageError(`--${name} needs a value`);
    }
    flags.set(name, value);
  }
  return flags;
}

function positiveInt(flags: Map<string, string>, name: string): number {
  const text = flags.get(name);
  if (text === undefined) throw new UsageError(`--${name} is required`);
  const value = parsePositiveInteger(text);
  if (value === undefined) throw new UsageError(`--${name} must be a positive integer, got ${text}`);
  return value;
}

/**
 * The `tracklet-collector` command line. Returns the exit code: 0 success, 1 failure, 2 usage error, 130 a long
 * operation (retention, erase) stopped by Ctrl-C.
 */
export async function main(argv: string[], io: CliIo = defaultIo()): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === "help" || command === "--help" || command === "-h") {
    io.out(USAGE);
    return command ? 0 : 2;
  }
  const common = ["store", "config"];
  try {
    switch (command) {
      case "serve": {
        const flags = parseFlags(rest, [...common, "port", "host", "token", "request-timeout"]);
        return await serve(flags, io);
      }
      case "check": {
        const flags = parseFlags(rest, ["config"]);
        const config = flags.get("config");
        const settings = resolveCollectorSettings({ env: io.env, ...(config ? { configFile: config } : {}) });
        io.out(formatCollectorSettings(settings));
        return 0;
      }
      case "migrate": {
        const flags = parseFlags(rest, common);
        await withProgress(io, async (options) => {
          const store = await openStore(storeSpec(flags, io), { migration: options, autoRollups: false });
          await store.close();
        });
        io.out("migrations applied\n");
        return 0;
      }
      case "rollups": {
        const flags = parseFlags(rest, [...common, "rebuild-from"]);
        const from = flags.get("rebuild-from");
        const fromDate = from === undefined ? undefined : new Date(`${from}T00:00:00Z`);
        if (from !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(from) || Number.isNaN(fromDate?.getTime())))
          throw new UsageError(`--rebuild-from must be a date YYYY-MM-DD, got ${from}`);
        const store = await openStore(storeSpec(flags, io), { autoRollups: false });
        try {
          const { refreshRollups, rebuildRollups } = store;
          if (!refreshRollups || !rebuildRollups) throw new Error("this store keeps no rollups");
          await withProgress(io, (options) =>
            fromDate ? rebuildRollups.call(store, fromDate, options) : refreshRollups.call(store, options),
          );
          io.out("rollups built\n");
          return 0;
        } finally {
          await store.close();
        }
      }
      case "status": {
        const flags = parseFlags(rest, common);
        const store = await open(flags, io);
        try {
          const total = await store.countEvents();
          const sites = await store.sites();
          io.out(`events: ${total}\n`);
          for (const site of sites) io.out(`  ${site}: ${await store.countEvents(site)}\n`);
          const check = await store.integrityCheck();
          io.out(`integrity: ${check.ok ? "ok" : `FAILED (${check.details})`}\n`);
          return check.ok ? 0 : 1;
        } finally {
          await store.close();
        }
      }
      case "retention": {
        const flags = parseFlags(rest, [...common, "days"]);
        const days = positiveInt(flags, "days");
        const store = await open(flags, io);
        try {
          const cutoff = retentionCutoff(days, Date.now());
          const deleted = await withProgress(io, (options) => store.deleteOlderThan(cutoff, options));
          io.out(`deleted ${deleted} events received before ${cutoff.toISOString()}\n`);
          return 0;
        } finally {
          await store.close();
        }
      }
      case "erase": {
        const flags = parseFlags(rest, [...common, "user"]);
        const user = flags.get("user");
        if (!user) throw new UsageError("--user is required");
        const store = await open(flags, io);
        try {
          const deleted = await withProgress(io, (options) => store.eraseUser(user, options));
          io.out(`erased ${deleted} events of user ${JSON.stringify(user)}\n`);
          return 0;
        } finally {
          await store.close();
        }
      }
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    }
  } catch (err) {
    if (isInterrupted(err)) {
      io.err(`tracklet-collector: ${err.message}\n`);
      return INTERRUPTED_EXIT;
    }
    if (err instanceof UsageError) {
      io.err(`tracklet-collector: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    io.err(`tracklet-collector: ${(err as Error).message}\n`);
    return 1;
  }
}

/** Hours of rollups left to build from which `serve` reports the start-up backfill's progress. */
const STARTUP_PROGRESS_HOURS = 24;

/**
 * Builds the rollups a store lacks (new, restored, or long without a collector) right after start-up, with
 * progress lines when there are many hours to build; stopping the collector ends it after the current chunk.
 */
function backfillRollups(collector: Collector, io: CliIo): void {
  const display = progressDisplay({ write: io.err }, { lineEveryMs: 10_000 });
  const onProgress: LongOperationOptions["onProgress"] = (p) => {
    if (p.total !== null && p.total >= STARTUP_PROGRESS_HOURS) display.update(p);
  };
  collector.store.refreshRollups?.({ onProgress }).then(
    () => display.stop(),
    (err: unknown) => {
      display.stop();
      if (!isInterrupted(err))
        io.err(`tracklet-collector: rollup backfill failed: ${(err as Error).message}\n`);
    },
  );
}

/** Runs a long operation with a progress display on stderr, stopping cleanly on Ctrl-C. */
async function withProgress<T>(io: CliIo, run: (options: LongOperationOptions) => Promise<T>): Promise<T> {
  const display = progressDisplay({ write: io.err, isTTY: io.errIsTTY ?? false });
  try {
    return await interruptible(
      (signal) => run({ signal, onProgress: (p) => display.update(p) }),
      () => {
        display.stop();
        io.err("stopping after the current step…\n");
      },
      io.interrupt,
    );
  } finally {
    display.stop();
  }
}

function storeSpec(flags: Map<string, string>, io: CliIo): string {
  const explicit = flags.get("store");
  if (explicit) return explicit;
  const config = flags.get("config");
  return resolveCollectorSettings({ env: io.env, ...(config ? { configFile: config } : {}) }).store;
}

async function open(flags: Map<string, string>, io: CliIo): Promise<EventStore> {
  return openStore(storeSpec(flags, io));
}

/** `serve`'s default time for a whole request to arrive (the SDK's bodies are at most 64 KB). */
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
const MAX_HEADERS_TIMEOUT_MS = 10_000;

async function serve(flags: Map<string, string>, io: CliIo): Promise<number> {
  const portText = flags.get("port") ?? "8787";
  if (!/^\d+$/.test(portText) || Number(portText) > 65535)
    throw new UsageError(`--port must be 0-65535, got ${portText}`);
  const port = Number(portText);
  const host = flags.get("host") ?? "127.0.0.1";
  const requestTimeout = flags.has("request-timeout")
    ? positiveInt(flags, "request-timeout")
    : DEFAULT_REQUEST_TIMEOUT_MS;
  const token = flags.get("token") ?? io.env.TRACKLET_COLLECTOR_TOKEN;
  const config = flags.get("config");
  const spec = storeSpec(flags, io);
  // Opened here rather than by the collector, so pending migrations show progress and stop on Ctrl-C.
  const store = await withProgress(io, (migration) => openStore(spec, { migration }));
  const collector: Collector = createCollector({
    store,
    env: io.env,
    ...(config ? { configFile: config } : {}),
    ...(token ? { access: { token } } : {}),
    dashboard: true,
    onError: (message, err) =>
      io.err(`tracklet-collector: ${message}${err ? `: ${(err as Error).message ?? err}` : ""}\n`),
  });
  try {
    await collector.ready;
  } catch (err) {
    await collector.close();
    await store.close();
    throw err;
  }
  const app = express();
  app.disable("x-powered-by");
  // Behind a load balancer the client IP comes from X-Forwarded-For; opt in with TRACKLET_TRUST_PROXY.
  if (io.env.TRACKLET_TRUST_PROXY) app.set("trust proxy", io.env.TRACKLET_TRUST_PROXY);
  app.get("/healthz", (_req, res) => {
    res.json({ ok: true, ...collector.metrics() });
  });
  app.use(collector.router);
  // Node's defaults (5 min per request, 60 s for headers, checked every 30 s) let slow clients hold sockets.
  // POST /collect is answered before Express routing (the hot path); everything else goes to the app.
  const server = createServer(
    {
      requestTimeout,
      headersTimeout: Math.min(requestTimeout, MAX_HEADERS_TIMEOUT_MS),
      connectionsCheckingInterval: Math.min(1000, requestTimeout),
    },
    collector.requestListener(app),
  );
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${addr.port}`;
  const forward = collector.settings.forward;
  const forwarding = forward.length > 0 ? `; forwarding to ${forward.join(", ")}` : "";
  io.out(`tracklet collector listening on ${url} (store: ${spec}${forwarding})\n`);
  io.onListening?.(url);
  backfillRollups(collector, io);
  await (io.stopSignal ??
    new Promise<void>((resolve) => {
      process.once("SIGINT", resolve);
      process.once("SIGTERM", resolve);
    }));
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // Idle keep-alive sockets would hold close() open; in-flight requests finish first.
  server.closeIdleConnections();
  await closed;
  await collector.close();
  await store.close();
  io.out(`stopped; ${collector.metrics().stored} events stored\n`);
  return 0;
}
