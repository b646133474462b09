import type { StoredEvent } from "../store/types.js";
import type { BatchQueueMetrics } from "./batch-queue.js";

/**
 * One event as the pipeline hands it to destinations: the row the store keeps, plus what a forwarder needs
 * from the request that carried it (the store does not keep these). Never holds a raw IP address.
 */
export interface CollectedEvent {
  row: StoredEvent;
  /** The request's `User-Agent`; null for server events. */
  userAgent: string | null;
  /** The first language of the request's `Accept-Language`, e.g. `en-US`; null when absent. */
  locale: string | null;
  /** A page's first pageview after it loaded (the SDK's `first`), counted for the Coverage figure. */
  firstView?: boolean;
}

export interface DestinationMetrics extends BatchQueueMetrics {
  /** Events the pipeline handed to this destination. */
  collected: number;
  /** Events this destination has no equivalent for, or could not map (too large, invalid). */
  skipped: number;
}

/**
 * Where the pipeline sends events: the store, an analytics service, a file. `accept` is synchronous and cheap:
 * it maps and queues, never waits for the network and never throws; delivery problems go to the destination's
 * `onError` and into `metrics()`.
 */
export interface Destination {
  readonly name: string;
  /** Queues events; false (nothing queued) when a destination that refuses rather than drops is full or closed. */
  accept(events: readonly CollectedEvent[]): boolean;
  /** Events it takes now without refusing; `Infinity` for destinations that drop their oldest instead. */
  room(): number;
  /** Sends everything queued so far and waits until it is delivered or given up on. */
  flush(): Promise<void>;
  /** Stops accepting, flushes (within the destination's close timeout) and releases resources. */
  close(): Promise<void>;
  metrics(): DestinationMetrics;
}

/** Where a destination reports delivery problems. Default: `console.warn`. */
export type DestinationErrorHandler = (message: string, error?: unknown) => void;
