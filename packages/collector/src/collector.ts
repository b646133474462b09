import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import express, { type Application, type Request, type Response, type Router } from "express";
import type { CollectionSwitches, CollectorOptions, DashboardFactory } from "./collector-options.js";
import { type CollectorSettings, resolveCollectorSettings } from "./config/collector-config.js";
import { createDashboardRouter } from "./dashboard/router.js";
import { authChallenge, checkAccess } from "./http/auth.js";
import { readBodyText } from "./http/body.js";
import { clientIp, type TrustProxy } from "./http/client-ip.js";
import { createClientKey } from "./pipeline/client-key.js";
import { applyCors } from "./http/cors.js";
import { HttpError, sendError } from "./http/errors.js";
import { RateLimiter } from "./http/rate-limit.js";
import { DailySalt } from "./pipeline/daily-salt.js";
import { enrichEvents } from "./pipeline/enrich.js";
import { SessionResolver } from "./pipeline/sessions.js";
import { isBotUserAgent } from "./pipeline/user-agent.js";
import { checkContentType, DEFAULT_LIMITS, parseWireBody, type WireLimits } from "./pipeline/validate.js";
import { WriteQueue } from "./destinations/batch-queue.js";
import { RetentionJob } from "./lifecycle/retention.js";
import { parseStatsQuery } from "./stats/parse-query.js";
import { isPostgresUrl, openStore } from "./store/open-store.js";
import { PostgresStore } from "./store/postgres/postgres-store.js";
import type { EventStore, StoredEvent } from "./store/types.js";

/** Counters since start; a snapshot is returned by `collector.metrics()`. */
export interface CollectorMetrics {
  /** `POST /collect` requests received. */
  requests: number;
  /** Events accepted into the write queue. */
  accepted: number;
  /** Events written to the store. */
  stored: number;
  /** Events waiting in the write queue (or being written). */
  queued: number;
  /** Events not stored, by reason. */
  dropped: { bot: number; disabled: number; queueFull: number; writeFailed: number };
  /** Requests refused: client errors (400/403/413/415), rate limit (429), queue full (503). */
  rejected: number;
  rateLimited: number;
  /** Batches written and write attempts retried. */
  batches: number;
  retries: number;
}

/** What `createCollector` returns. */
export interface Collector {
  /** Express router with `POST /collect`, `OPTIONS /collect`, `GET /api/stats`, `GET /api/sites` (+ dashboard). */
  readonly router: Router;
  /** The store; opened and migrated in the background — `await collector.ready` before using it directly. */
  readonly store: EventStore;
  /** Resolves when the store is open and migrated; rejects (and every route answers 503) when it cannot be. */
  readonly ready: Promise<void>;
  /** The resolved settings (options, `[collector]` config section, `TRACKLET__COLLECTOR__*` env). */
  readonly settings: CollectorSettings;
  /**
   * Queues events produced on the server (the server-side tracker's store backend). Honours the opt-out
   * switches (`server` events need `collect_server_events`); returns false when dropped or the queue is full.
   */
  ingest(events: StoredEvent[]): boolean;
  /**
   * A Node request listener that serves `POST` and `OPTIONS` on the collect path (`mountPath` + `paths.collect`)
   * itself, in plain Node calls without the framework's routing, and hands every other request to `next` —
   * usually the Express app that mounts `router`: `http.createServer(collector.requestListener(app))`. Same
   * checks, answers and metrics as the router's route. The client IP follows `next`'s `trust proxy` setting
   * when `next` is an Express app (no proxy trusted otherwise). With `getUser` set, every request goes to
   * `next`, whose middleware the app's auth may need.
   */
  requestListener(next: RequestListener): RequestListener;
  metrics(): CollectorMetrics;
  /** Writes everything queued so far. */
  flush(): Promise<void>;
  /** Stops accepting events, writes the queue, stops retention and closes the store if the collector opened it. */
  close(): Promise<void>;
}

/** Whether a stored event type may be collected under the switches. */
export function isCollected(switches: CollectionSwitches, type: StoredEvent["type"]): boolean {
  if (switches.analyticsDisabled) return false;
  if (type === "pageview" || type === "engagement") return switches.collectPageviews;
  if (type === "event") return switches.collectEvents;
  return switches.collectServerEvents;
}

/**
 * Creates the collector: ingestion endpoint, write queue, stats API and (optionally) the dashboard, as one
 * Express router. Mount it where the SDK posts, e.g. `app.use("/tracklet", collector.router)`.
 */
export function createCollector(options: CollectorOptions = {}): Collector {
  const settings = resolveCollectorSettings(options);
  const now = options.now ?? Date.now;
  const onError =
    options.onError ??
    ((message: string, err?: unknown) => console.warn(`tracklet collector: ${message}`, err ?? ""));
  const limits: WireLimits = { ...DEFAULT_LIMITS, ...options.limits, maxBodyBytes: settings.maxBodyBytes };
  const paths = {
    collect: options.paths?.collect ?? "/collect",
    stats: options.paths?.stats ?? "/api/stats",
    sites: options.paths?.sites ?? "/api/sites",
    dashboard: options.paths?.dashboard ?? "/",
  };

  // The store: given, or opened from its spec. Opening is async (migrations); routes wait for `ready`.
  const ownsStore = typeof options.store !== "object";
  let store: EventStore;
  let ready: Promise<void>;
  if (typeof options.store === "object") {
    store = options.store;
    ready = store.migrate();
  } else {
    const lazy = new LazyStore();
    store = lazy.proxy;
    ready = openStore(settings.store, { now }).then((s) => lazy.resolve(s));
  }
  ready.catch((err) => onError(`the store could not be opened (${settings.store})`, err));

  // PostgreSQL takes several batches at once through its pool; SQLite has one writer anyway.
  const pooled =
    typeof options.store === "object"
      ? options.store instanceof PostgresStore
      : isPostgresUrl(settings.store);
  const salt = new DailySalt(store, now);
  const sessions = new SessionResolver(store);
  const counters = {
    requests: 0,
    accepted: 0,
    bot: 0,
    disabled: 0,
    queueFull: 0,
    rejected: 0,
    rateLimited: 0,
  };
  const queue = new WriteQueue({
    write: async (batch) => {
      await ready;
      await store.insertEvents(batch);
    },
    prepare: async (batch) => {
      await ready;
      await sessions.assign(batch);
    },
    ...options.queue,
    concurrency: options.queue?.concurrency ?? (pooled ? 4 : 1),
    onError: (err, info) =>
      onError(
        info.final
          ? `dropped a batch of ${info.batchSize} events after ${info.attempt + 1} failed writes`
          : `writing a batch of ${info.batchSize} events failed (attempt ${info.attempt + 1}); retrying`,
        err,
      ),
  });
  const limiter = settings.rateLimit === false ? null : new RateLimiter(settings.rateLimit, now);
  // Rate-limit keys are keyed IP hashes with per-process random seeds: no raw IP is kept even in memory.
  const clientKey = createClientKey();
  const retention =
    settings.retentionDays !== null
      ? new RetentionJob({ store, days: settings.retentionDays, ready, now, onError })
      : null;
  retention?.start();

  const router = express.Router();

  const preflight = (req: IncomingMessage, res: ServerResponse) => {
    if (!applyCors(req, res, settings.cors, true)) {
      sendError(res, new HttpError(403, "origin_not_allowed", "This origin may not send events here."));
      return;
    }
    res.statusCode = 204;
    res.end();
  };

  const answer = (res: ServerResponse, status: number) => {
    res.statusCode = status;
    res.end();
  };

  /**
   * `POST /collect` in plain Node calls, shared by the Express route and `requestListener`. `appReq` is the
   * Express request that `getUser` receives (the listener hands requests to the app when `getUser` is set).
   */
  const collect = async (req: IncomingMessage, res: ServerResponse, ip: string, appReq: Request | null) => {
    counters.requests++;
    const reject = (err: HttpError, headers?: Record<string, string>) => {
      counters.rejected++;
      sendError(res, err, headers);
    };
    try {
      if (!applyCors(req, res, settings.cors)) {
        req.resume();
        reject(new HttpError(403, "origin_not_allowed", "This origin may not send events here."));
        return;
      }
      if (settings.analyticsDisabled) {
        req.resume();
        answer(res, 204);
        return;
      }
      if (limiter) {
        const wait = limiter.take(clientKey(ip));
        if (wait > 0) {
          counters.rateLimited++;
          req.resume();
          reject(new HttpError(429, "rate_limited", "Too many requests from this client; retry later."), {
            "Retry-After": String(wait),
          });
          return;
        }
      }
      checkContentType(req.headers["content-type"]);
      const text = await readBodyText(req, settings.maxBodyBytes);
      const events = parseWireBody(text, limits);
      const userAgent = req.headers["user-agent"] ?? "";
      if (isBotUserAgent(userAgent)) {
        counters.bot += events.length;
        answer(res, 202);
        return;
      }
      let wanted = events;
      if (!settings.collectPageviews || !settings.collectEvents) {
        wanted = events.filter((e) => isCollected(settings, e.type));
        counters.disabled += events.length - wanted.length;
      }
      if (wanted.length === 0) {
        answer(res, 202);
        return;
      }
      // Once per request, and without awaiting in the common case (salt known, no getUser).
      const userId = options.getUser && appReq ? await resolveUser(options.getUser, appReq) : null;
      const todaySalt = salt.cachedNow() ?? (await salt.current());
      const rows = enrichEvents(wanted, { ip, userAgent, userId, now: now(), salt: todaySalt });
      if (!queue.push(rows)) {
        counters.queueFull += rows.length;
        reject(new HttpError(503, "queue_full", "The collector is busy; retry shortly."), {
          "Retry-After": "1",
        });
        return;
      }
      counters.accepted += rows.length;
      answer(res, 202);
    } catch (err) {
      if (err instanceof HttpError) {
        reject(err);
      } else {
        onError("unexpected error while collecting", err);
        sendError(res, new HttpError(500, "internal", "The collector failed to process the request."));
      }
    }
  };

  router.options(paths.collect, preflight);
  router.post(paths.collect, (req: Request, res: Response) =>
    collect(req, res, req.ip ?? req.socket.remoteAddress ?? "", req),
  );

  const collectUrlPath = `${options.mountPath ?? ""}${paths.collect}`;
  const requestListener = (next: RequestListener): RequestListener => {
    const app = next as Partial<Pick<Application, "get">>;
    const noProxy: TrustProxy = () => false;
    return (req, res) => {
      const url = req.url ?? "";
      const q = url.indexOf("?");
      const path = q === -1 ? url : url.slice(0, q);
      if (path !== collectUrlPath || options.getUser) return next(req, res);
      if (req.method === "POST") {
        const trust = typeof app.get === "function" ? (app.get("trust proxy fn") as TrustProxy) : noProxy;
        void collect(req, res, clientIp(req, trust ?? noProxy), null);
      } else if (req.method === "OPTIONS") {
        preflight(req, res);
      } else {
        next(req, res);
      }
    };
  };

  const guarded =
    (handler: (req: Request, res: Response) => Promise<void>) => async (req: Request, res: Response) => {
      try {
        if (!(await checkAccess(settings.access, req))) {
          res.setHeader("WWW-Authenticate", authChallenge(settings.access));
          sendError(res, new HttpError(401, "unauthorized", "Authentication required."));
          return;
        }
        res.setHeader("Cache-Control", "private, no-store");
        try {
          await ready;
        } catch {
          sendError(res, new HttpError(503, "internal", "The store is unavailable."));
          return;
        }
        await handler(req, res);
      } catch (err) {
        if (err instanceof HttpError) sendError(res, err);
        else {
          onError("stats query failed", err);
          sendError(res, new HttpError(500, "internal", "The stats query failed."));
        }
      }
    };

  router.get(
    paths.stats,
    guarded(async (req, res) => {
      const query = parseStatsQuery(req.query as Record<string, unknown>, {
        now: now(),
        searchEvents: settings.searchEvents,
      });
      res.json(await store.stats(query));
    }),
  );

  router.get(
    paths.sites,
    guarded(async (_req, res) => {
      res.json({ sites: await store.sites() });
    }),
  );

  if (options.dashboard) {
    // Without an access rule the dashboard still mounts; it answers 401 to everyone.
    const factory: DashboardFactory = options.dashboard === true ? createDashboardRouter : options.dashboard;
    router.use(
      paths.dashboard,
      factory({
        stats: store,
        access: settings.access,
        basePath: `${options.mountPath ?? ""}${paths.dashboard}`,
        statsApiPath: `${options.mountPath ?? ""}${paths.stats}`,
        searchEvents: settings.searchEvents,
      }),
    );
  }

  const ingest = (events: StoredEvent[]): boolean => {
    const wanted = events.filter((e) => isCollected(settings, e.type));
    counters.disabled += events.length - wanted.length;
    if (wanted.length === 0) return false;
    if (!queue.push(wanted.map((e) => ({ ...e })))) {
      counters.queueFull += wanted.length;
      return false;
    }
    counters.accepted += wanted.length;
    return true;
  };

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      retention?.stop();
      await queue.close();
      // A store that never opened has nothing to close (and its handle would wait forever).
      if (
        ownsStore &&
        (await ready.then(
          () => true,
          () => false,
        ))
      )
        await store.close();
    })();
    return closing;
  };

  return {
    router,
    store,
    ready,
    settings,
    ingest,
    requestListener,
    metrics: () => {
      const q = queue.metrics();
      return {
        requests: counters.requests,
        accepted: counters.accepted,
        stored: q.stored,
        queued: q.queued,
        dropped: {
          bot: counters.bot,
          disabled: counters.disabled,
          queueFull: counters.queueFull,
          writeFailed: q.failed,
        },
        rejected: counters.rejected,
        rateLimited: counters.rateLimited,
        batches: q.batches,
        retries: q.retries,
      };
    },
    flush: () => queue.flush(),
    close,
  };
}

async function resolveUser(getUser: CollectorOptions["getUser"], req: Request): Promise<string | null> {
  if (!getUser) return null;
  try {
    const user = await getUser(req);
    return typeof user === "string" && user !== "" ? user.slice(0, 256) : null;
  } catch {
    // The app's auth failing must not lose the event; it is stored as anonymous.
    return null;
  }
}

/** A store handle usable before the real store is open: every call waits for it. */
class LazyStore {
  private target: EventStore | undefined;
  private readonly waiting: Promise<EventStore>;
  private settle!: (store: EventStore) => void;
  readonly proxy: EventStore;

  constructor() {
    this.waiting = new Promise((resolve) => {
      this.settle = resolve;
    });
    this.proxy = new Proxy({} as EventStore, {
      get: (_t, prop) => {
        if (prop === "then") return undefined;
        if (this.target) {
          const value = (this.target as unknown as Record<PropertyKey, unknown>)[prop];
          return typeof value === "function" ? value.bind(this.target) : value;
        }
        return async (...args: unknown[]) => {
          const store = await this.waiting;
          const fn = (store as unknown as Record<PropertyKey, (...a: unknown[]) => unknown>)[prop];
          if (typeof fn !== "function") throw new TypeError(`store.${String(prop)} is not a function`);
          return fn.apply(store, args);
        };
      },
    });
  }

  resolve(store: EventStore): void {
    this.target = store;
    this.settle(store);
  }
}
