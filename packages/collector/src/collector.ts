import type { RequestListener } from "node:http";
import type { Router } from "express";
import { collectorCoverage } from "./collector-coverage.js";
import { collectorDestinations } from "./collector-destinations.js";
import { type CollectorMetrics, collectorMetrics } from "./collector-metrics.js";
import type { CollectorOptions } from "./collector-options.js";
import { collectorStore } from "./collector-store.js";
import { type CollectorSettings, resolveCollectorSettings } from "./config/collector-config.js";
import { createCollectHandler } from "./http/collect-handler.js";
import { createRequestListener } from "./http/request-listener.js";
import { createCollectorRouter } from "./http/router.js";
import { DestinationCountsRecorder } from "./lifecycle/destination-counts-recorder.js";
import { RetentionJob } from "./lifecycle/retention.js";
import { DailySalt } from "./pipeline/daily-salt.js";
import { createPipeline } from "./pipeline/pipeline.js";
import { SessionResolver } from "./pipeline/sessions.js";
import { SiteGate } from "./pipeline/site-gate.js";
import { DEFAULT_LIMITS } from "./pipeline/validate.js";
import type { ServedCount } from "./pipeline/validate-documents.js";
import type { EventStore, StoredEvent, StoredEventType } from "./store/types.js";

export type { CollectorMetrics } from "./collector-metrics.js";

/** What `createCollector` returns. */
export interface Collector {
  /** Express router with `POST /collect`, `OPTIONS /collect`, `GET /api/stats`, `GET /api/sites` (+ dashboard). */
  readonly router: Router;
  /** The store; opened and migrated in the background — `await collector.ready` before using it directly. */
  readonly store: EventStore;
  /** Resolves when the store is open and migrated; rejects (and the stats routes answer 503) when it cannot be. */
  readonly ready: Promise<void>;
  /** The resolved settings (options, `[collector]` config section, `TRACKLET__COLLECTOR__*` env). */
  readonly settings: CollectorSettings;
  /**
   * Puts events produced on the server into the pipeline (the tracker and the action log do, through
   * `createTracker({ collector })`). The switches apply; false when none was admitted (switched off or full).
   */
  ingest(events: StoredEvent[]): boolean;
  /** Whether events of this type flow under the switches. */
  collects(type: StoredEventType): boolean;
  /**
   * A Node request listener that serves `POST` and `OPTIONS` on the collect path (`mountPath` + `paths.collect`)
   * itself and hands every other request to `next`, usually the Express app that mounts `router`:
   * `http.createServer(collector.requestListener(app))`. Same checks, answers and metrics as the router.
   */
  requestListener(next: RequestListener): RequestListener;
  /**
   * Takes the injector's counts of pages served with the snippet, when both run in one process:
   * `analytics({ documents: collector.recordDocuments })`. Invalid counts are reported and left out.
   */
  recordDocuments(counts: ServedCount[]): void;
  metrics(): CollectorMetrics;
  /** Hands everything collected so far to every destination and waits until they have sent it. */
  flush(): Promise<void>;
  /** Stops accepting events, flushes every destination, stops retention and closes the store if it opened it. */
  close(): Promise<void>;
}

/**
 * Creates the collector: http (collect endpoint, stats API, dashboard) → pipeline (validate, enrich, sessions,
 * processors, switches) → destinations (the store, `forward` services, `destinations` built in code). Mount it
 * where the SDK posts, e.g. `app.use("/tracklet", collector.router)`.
 */
export function createCollector(options: CollectorOptions = {}): Collector {
  const settings = resolveCollectorSettings(options);
  const now = options.now ?? Date.now;
  const onError =
    options.onError ??
    ((message: string, err?: unknown) => console.warn(`tracklet collector: ${message}`, err ?? ""));
  const storeHandle = collectorStore(options.store, settings.store, now);
  const { store, ready } = storeHandle;
  ready.catch((err) => onError(`the store could not be opened (${settings.store})`, err));

  const sessions = new SessionResolver(store);
  const coverage = collectorCoverage(store, ready, settings, onError);
  const documentCounts = coverage.recorder;
  const destinations = collectorDestinations(settings, options, storeHandle, onError, (events) =>
    documentCounts.reported(events),
  );
  const pipeline = createPipeline({
    switches: settings,
    destinations,
    processors: options.processors ?? [],
    assignSessions: async (rows) => {
      await ready;
      await sessions.assign(rows);
    },
    onError,
  });
  const sites = new SiteGate({
    sites: settings.sites,
    maxSites: settings.maxSites,
    knownSites: async () => {
      await ready;
      return store.sites();
    },
  });
  const handler = createCollectHandler({
    pipeline,
    salt: new DailySalt(store, now),
    cors: settings.cors,
    rateLimit: settings.rateLimit,
    maxBodyBytes: settings.maxBodyBytes,
    bodyTimeoutMs: settings.bodyTimeoutMs,
    sites,
    limits: { ...DEFAULT_LIMITS, ...options.limits, maxBodyBytes: settings.maxBodyBytes },
    disabled: settings.analyticsDisabled,
    getUser: options.getUser,
    now,
    onError,
  });
  const mountPath = options.mountPath ?? "";
  const paths = {
    collect: options.paths?.collect ?? "/collect",
    stats: options.paths?.stats ?? "/api/stats",
    sites: options.paths?.sites ?? "/api/sites",
    dashboard: options.paths?.dashboard ?? "/",
    documents: options.paths?.documents ?? "/documents",
  };
  const router = createCollectorRouter({
    ...{ paths, handler, documents: coverage.handler, settings, store, ready, mountPath, now, onError },
    dashboard: options.dashboard,
  });
  const retention =
    settings.retentionDays !== null
      ? new RetentionJob({ store, days: settings.retentionDays, ready, now, onError })
      : null;
  retention?.start();
  const destinationCounts = new DestinationCountsRecorder({ store, ready, destinations, now, onError });
  destinationCounts.start();
  documentCounts.start();

  let closing: Promise<void> | undefined;
  return {
    router,
    store,
    ready,
    settings,
    ingest: (events) => {
      const refused = sites.loaded
        ? sites.check(
            events.map((row) => row.site),
            (i) => `[${i}].site`,
          )
        : null;
      if (refused) {
        onError(`server events refused: ${refused.message}`);
        return false;
      }
      return (
        pipeline.accept(events.map((row) => ({ row: { ...row }, userAgent: null, locale: null }))) &&
        events.some((row) => pipeline.collects(row.type))
      );
    },
    collects: (type) => pipeline.collects(type),
    requestListener: (next) =>
      createRequestListener(`${mountPath}${paths.collect}`, handler, next, options.getUser !== undefined),
    recordDocuments: coverage.recordDocuments,
    metrics: () => collectorMetrics(pipeline, handler.counts, sites.counts, destinations),
    flush: () =>
      pipeline
        .flush()
        .then(() => Promise.all([destinationCounts.record(), documentCounts.record()]).then(() => {})),
    close() {
      closing ??= (async () => {
        retention?.stop();
        await pipeline.close();
        await destinationCounts.stop();
        await documentCounts.stop();
        // A store that never opened has nothing to close (and its handle would wait forever).
        const opened = await ready.then(
          () => true,
          () => false,
        );
        if (storeHandle.owned && opened) await store.close();
      })();
      return closing;
    },
  };
}
