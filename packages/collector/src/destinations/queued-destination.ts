import { BatchQueue, type BatchQueueOptions } from "./batch-queue.js";
import type { CollectedEvent, Destination, DestinationErrorHandler, DestinationMetrics } from "./types.js";

export interface QueuedDestinationSpec<T> extends Omit<BatchQueueOptions<T>, "onError"> {
  /** The destination's message for one event, or null when it has no equivalent (counted as skipped). */
  map: (event: CollectedEvent) => T | null;
  /** Messages larger than this (by `sizeOf`) are skipped and reported. */
  maxItemBytes?: number;
  onError?: DestinationErrorHandler | undefined;
  /** Runs after the queue is closed (close files, connections). */
  release?: () => Promise<void>;
}

export const defaultErrorHandler: DestinationErrorHandler = (message, error) =>
  console.warn(`tracklet collector: ${message}`, error ?? "");

/** A {@link Destination} from a mapper and the shared batch queue; every destination is one of these. */
export function queuedDestination<T>(spec: QueuedDestinationSpec<T>): Destination {
  const onError = spec.onError ?? defaultErrorHandler;
  const queue = new BatchQueue<T>({
    ...spec,
    onError: (error, info) =>
      onError(
        info.final
          ? `${spec.name}: gave up on a batch of ${info.batchSize} events after ${info.attempt + 1} attempts`
          : `${spec.name}: sending a batch of ${info.batchSize} events failed (attempt ${info.attempt + 1}); retrying`,
        error,
      ),
  });
  const counts = { collected: 0, skipped: 0 };
  const { map, maxItemBytes, sizeOf } = spec;

  const mapAll = (events: readonly CollectedEvent[]): T[] => {
    const out: T[] = [];
    for (const event of events) {
      let message: T | null;
      try {
        message = map(event);
      } catch (error) {
        onError(`${spec.name}: could not map a ${event.row.type} event`, error);
        message = null;
      }
      if (message !== null && maxItemBytes !== undefined && sizeOf && sizeOf(message) > maxItemBytes) {
        onError(`${spec.name}: skipped an event over the ${maxItemBytes}-byte limit`);
        message = null;
      }
      if (message === null) counts.skipped++;
      else out.push(message);
    }
    return out;
  };

  let closing: Promise<void> | undefined;
  return {
    name: spec.name,
    accept(events) {
      if (spec.whenFull === "refuse" && events.length > queue.room) return false;
      const messages = mapAll(events);
      if (!queue.push(messages)) return false;
      counts.collected += events.length;
      return true;
    },
    room: () => (spec.whenFull === "refuse" ? queue.room : Number.POSITIVE_INFINITY),
    flush: () => queue.flush(),
    close() {
      closing ??= queue.close().then(() => spec.release?.());
      return closing;
    },
    metrics: (): DestinationMetrics => ({ ...counts, ...queue.metrics() }),
  };
}

/**
 * Queue defaults of the services events are forwarded to: a few retries, and a `close` that gives up after 10 s
 * so an unreachable service never holds up shutdown.
 */
export const FORWARDER_QUEUE = {
  maxRetries: 3,
  retryBaseMs: 100,
  retryMaxMs: 10_000,
  closeTimeoutMs: 10_000,
} as const;
