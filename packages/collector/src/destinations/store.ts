import type { EventStore } from "../store/types.js";
import type { BatchQueueTuning } from "./batch-queue.js";
import { queuedDestination } from "./queued-destination.js";
import type { CollectedEvent, Destination, DestinationErrorHandler } from "./types.js";

export interface StoreDestinationOptions {
  store: Pick<EventStore, "insertEvents">;
  /** Resolves when the store is open and migrated; writes wait for it. */
  ready?: Promise<void>;
  /**
   * Batching and retries. Defaults: at most 10,000 events a transaction (batches grow towards it while a write is
   * in flight), a write when 500 wait or every second, 50,000 held, 10 retries up to 5 s apart, one write at a
   * time (more suits a store with a connection pool).
   */
  queue?: BatchQueueTuning;
  onError?: DestinationErrorHandler;
  /** Called with each batch once it is written (the collector counts first pageviews for Coverage). */
  onWritten?: (events: readonly CollectedEvent[]) => void;
}

/**
 * Writes events to the store in batches, one transaction each. When full it refuses new events rather than
 * dropping any, so `/collect` answers 503 and nothing it accepted is lost.
 */
export function storeDestination(options: StoreDestinationOptions): Destination {
  if (typeof options?.store?.insertEvents !== "function") {
    throw new TypeError("storeDestination: options.store must implement insertEvents(events)");
  }
  const { store, ready, onWritten } = options;
  return queuedDestination<CollectedEvent>({
    name: "store",
    whenFull: "refuse",
    capacity: 50_000,
    maxBatch: 10_000,
    flushAt: 500,
    maxRetries: 10,
    retryMaxMs: 5000,
    ...options.queue,
    onError: options.onError,
    map: (event) => event,
    async send(batch) {
      if (ready) await ready;
      await store.insertEvents(batch.map((event) => event.row));
      onWritten?.(batch);
    },
  });
}
