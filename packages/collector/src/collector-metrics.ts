import type { DestinationMetrics } from "./destinations/types.js";
import type { CollectCounts } from "./http/collect-handler.js";
import type { Pipeline } from "./pipeline/pipeline.js";
import type { SiteGateCounts } from "./pipeline/site-gate.js";

/** Counters since start; a snapshot is returned by `collector.metrics()`. */
export interface CollectorMetrics {
  /** `POST /collect` requests received. */
  requests: number;
  /** Events admitted into the pipeline (browser and server). */
  accepted: number;
  /** Events written to the store. */
  stored: number;
  /** Events waiting for the store (in the pipeline or its write queue). */
  queued: number;
  /** Events not stored, by reason. */
  dropped: {
    bot: number;
    /** Turned away by the switches. */
    disabled: number;
    /** Refused because the store's queue was full (`/collect` answered 503). */
    queueFull: number;
    /** Dropped by a processor. */
    processor: number;
    /** Given up after every retry failed (sessions or the store write). */
    writeFailed: number;
    /** For a site not in `sites` (`/collect` answered 403). */
    siteNotListed: number;
    /** For a new site past `max_sites` (`/collect` answered 403). */
    siteOverLimit: number;
  };
  /** Requests refused: client errors (400/403/413/415), rate limit (429), queue full (503). */
  rejected: number;
  rateLimited: number;
  /** Batches written to the store and store writes retried. */
  batches: number;
  retries: number;
  /** Per destination (`store`, `ga4`, `segment`, …): collected, delivered, failed, dropped, queued, retries. */
  destinations: Record<string, DestinationMetrics>;
}

export function collectorMetrics(
  pipeline: Pipeline,
  requests: CollectCounts,
  sites: SiteGateCounts,
  destinations: ReadonlyArray<{ name: string; metrics(): DestinationMetrics }>,
): CollectorMetrics {
  const p = pipeline.metrics();
  const perDestination: Record<string, DestinationMetrics> = {};
  for (const d of destinations) perDestination[d.name] = d.metrics();
  const store = perDestination.store;
  return {
    requests: requests.requests,
    accepted: p.accepted,
    stored: store?.delivered ?? 0,
    queued: p.queued + (store?.queued ?? 0),
    dropped: {
      bot: requests.bot,
      disabled: p.disabled,
      queueFull: p.queueFull,
      processor: p.processorDropped,
      writeFailed: p.failed + (store?.failed ?? 0),
      siteNotListed: sites.notListed,
      siteOverLimit: sites.overLimit,
    },
    rejected: requests.rejected,
    rateLimited: requests.rateLimited,
    batches: store?.batches ?? 0,
    retries: store?.retries ?? 0,
    destinations: perDestination,
  };
}
