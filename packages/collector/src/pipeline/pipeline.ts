import { BatchQueue } from "../destinations/batch-queue.js";
import type { CollectedEvent, Destination } from "../destinations/types.js";
import type { StoredEvent } from "../store/types.js";
import { type Processor, runProcessors } from "./processors.js";
import { type CollectionSwitches, isCollected } from "./switches.js";

export interface PipelineOptions {
  switches: CollectionSwitches;
  destinations: readonly Destination[];
  processors?: readonly Processor[];
  /** Fills `sessionId` of the rows that have none, in the order given (see `SessionResolver`). */
  assignSessions: (rows: StoredEvent[]) => Promise<void>;
  onError: (message: string, error?: unknown) => void;
}

export interface PipelineMetrics {
  /** Events admitted. */
  accepted: number;
  /** Events the switches turned away. */
  disabled: number;
  /** Events refused because a destination that refuses rather than drops was full. */
  queueFull: number;
  /** Events a processor dropped. */
  processorDropped: number;
  /** Events admitted and not yet handed to the destinations. */
  queued: number;
  /** Events lost before the destinations: session assignment kept failing, or a destination refused them. */
  failed: number;
}

export interface Pipeline {
  /** Whether events of this type flow under the switches. */
  collects(type: StoredEvent["type"]): boolean;
  /**
   * Admits events that the switches let through, all or none: false when a destination that refuses new events
   * (the store) has no room for them, so the caller can answer 503 and nothing admitted is ever lost.
   */
  accept(events: CollectedEvent[]): boolean;
  metrics(): PipelineMetrics;
  /** Hands everything admitted to the destinations and flushes them. */
  flush(): Promise<void>;
  /** Stops admitting, flushes and closes every destination. */
  close(): Promise<void>;
}

/**
 * Sessions → processors → destinations, behind one bounded queue: events are admitted synchronously, then handed
 * on in batches (sessions need a store lookup per batch, in order), each batch to every destination.
 */
export function createPipeline(options: PipelineOptions): Pipeline {
  const { switches, destinations, onError } = options;
  const processors = options.processors ?? [];
  const counts = { accepted: 0, disabled: 0, queueFull: 0, processorDropped: 0, refused: 0 };
  const intake = new BatchQueue<CollectedEvent>({
    name: "pipeline",
    whenFull: "refuse",
    capacity: Number.MAX_SAFE_INTEGER,
    maxBatch: 10_000,
    // Handing on has a fixed cost per batch (a session lookup, a step per destination): gathering events for a
    // few milliseconds keeps it off the per-request path; the store's own queue waits far longer.
    flushAt: 500,
    flushIntervalMs: 20,
    maxRetries: 10,
    retryMaxMs: 5000,
    onError: (error, info) =>
      onError(
        info.final
          ? `gave up assigning sessions to ${info.batchSize} events`
          : `assigning sessions to ${info.batchSize} events failed (attempt ${info.attempt + 1}); retrying`,
        error,
      ),
    send: async (batch) => {
      await options.assignSessions(batch.map((e) => e.row));
      const { kept, dropped } = runProcessors(batch, processors, onError);
      counts.processorDropped += dropped;
      if (kept.length === 0) return;
      for (const destination of destinations) {
        if (!destination.accept(kept)) {
          counts.refused += kept.length;
          onError(`${destination.name} refused ${kept.length} events (full or closed)`);
        }
      }
    },
  });

  /** Room in the destinations that refuse when full, less what is admitted but not yet handed on. */
  const room = (): number => {
    let least = Number.POSITIVE_INFINITY;
    for (const destination of destinations) least = Math.min(least, destination.room());
    return least - intake.size;
  };

  let closed = false;
  let closing: Promise<void> | undefined;
  return {
    collects: (type) => isCollected(switches, type),
    accept(events) {
      let wanted = events;
      if (
        switches.analyticsDisabled ||
        !switches.collectPageviews ||
        !switches.collectEvents ||
        !switches.collectServerEvents
      ) {
        wanted = events.filter((e) => isCollected(switches, e.row.type));
        counts.disabled += events.length - wanted.length;
      }
      if (wanted.length === 0) return true;
      if (closed || wanted.length > room() || !intake.push(wanted)) {
        counts.queueFull += wanted.length;
        return false;
      }
      counts.accepted += wanted.length;
      return true;
    },
    metrics() {
      const q = intake.metrics();
      const { refused, ...rest } = counts;
      return { ...rest, queued: q.queued, failed: q.failed + refused };
    },
    async flush() {
      await intake.flush();
      await Promise.all(destinations.map((d) => d.flush()));
    },
    close() {
      closed = true;
      closing ??= (async () => {
        await intake.close();
        await Promise.all(destinations.map((d) => d.close()));
      })();
      return closing;
    },
  };
}
