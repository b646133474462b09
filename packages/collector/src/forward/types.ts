import type { StoredEvent } from "../store/types.js";
import type { OptOutOptions } from "../tracker/opt-out.js";
import type { TrackerBackend, TrackerEvent } from "../tracker/types.js";

/** What a forwarder accepts: an event from the server-side tracker or a row the collector ingested. */
export type ForwardInput = TrackerEvent | StoredEvent;

export interface ForwarderStats {
  /** Accepted and not yet settled (waiting or in flight). */
  queued: number;
  /** Delivered (2xx). */
  sent: number;
  /** Given up on: a non-retriable answer (4xx other than 408/429) or retries exhausted. */
  failed: number;
  /** Lost without a delivery attempt: queue full, event too large, invalid, after close, or close timed out. */
  dropped: number;
  /** Requests repeated after a failure. */
  retries: number;
  /** Not forwarded by choice: its stream is switched off or the destination has no equivalent. */
  skipped: number;
}

/**
 * The common interface of every forwarder (GA4 Measurement Protocol, Segment). A forwarder is also a tracker
 * backend (`send`), so it can be routed to with `createTracker({ backends: [...] })`, and the collector hands it
 * ingested rows through `forward`. `forward` is synchronous and cheap: it maps and queues, never waits for the
 * network and never throws; delivery errors go to the forwarder's `onError` and into `stats()`.
 */
export interface Forwarder extends TrackerBackend {
  readonly name: string;
  /** Queues one event; false when it was not accepted (disabled, skipped, invalid, too large, closed). */
  forward(event: ForwardInput): boolean;
  send(event: TrackerEvent): void;
  /** Sends everything queued now and waits until it is delivered or given up on. */
  flush(): Promise<void>;
  /** Stops accepting events and flushes, waiting at most `timeout` ms (default 10000); the rest is dropped. */
  close(options?: { timeout?: number }): Promise<void>;
  stats(): ForwarderStats;
}

/** Options every forwarder shares. */
export interface ForwarderOptions extends OptOutOptions {
  /** Most events held while waiting to be sent; when full the oldest is dropped (counted). Default 10000. */
  capacity?: number;
  /** Queued events that trigger a send. */
  flushAt?: number;
  /** Longest time an event waits before a send, ms (unref'd timer). Default 10000. */
  flushInterval?: number;
  /** Retries after the first attempt. Default 3. */
  maxRetries?: number;
  /** Backoff bounds, ms: full jitter over `min * 2^attempt`, capped at `max`. Defaults 100 and 10000. */
  minBackoff?: number;
  maxBackoff?: number;
  /** Longest honoured `Retry-After`, ms. Default 60000. */
  maxRetryAfter?: number;
  /** Per-request timeout, ms. Default 10000. */
  timeout?: number;
  /** Default: `console.error`. */
  onError?: (error: unknown) => void;
  /** Default: the global fetch. */
  fetch?: typeof fetch;
  /** For tests: random source for the jitter and a sleep that can record delays. */
  random?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}
