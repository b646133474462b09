import type { StoredEvent, StoredEventType } from "../store/types.js";

/** One event as the tracker's processors see it (edX event-tracking's shape). */
export interface TrackerEvent {
  name: string;
  /** Emit time, ISO 8601 UTC. */
  timestamp: string;
  data: Record<string, unknown>;
  /** Merge of every context entered at emit time, inner contexts winning on key clashes. */
  context: Record<string, unknown>;
}

/** What a tracker emits into: the collector's pipeline (`collector.ingest`), under its switches. */
export interface TrackerTarget {
  /** Admits rows into the pipeline; false when they were not admitted (switched off or full). */
  ingest(events: StoredEvent[]): boolean;
  /** Whether events of this type flow under the collector's switches. */
  collects(type: StoredEventType): boolean;
  flush(): Promise<void>;
}

/**
 * A step of the processing chain. Return the event (possibly modified or replaced) to pass it on, `null` to
 * drop it; `undefined` keeps the event as it is (for processors that only mutate). A throwing processor drops
 * the event, so a failing redaction step never lets unredacted data through.
 */
export type TrackerProcessor = (event: TrackerEvent) => TrackerEvent | null | undefined;

/** Where a failure happened, for `onError`. */
export interface TrackerErrorInfo {
  stage: "processor" | "emit";
  /** Processor index or the method called. */
  source: string;
  event?: TrackerEvent;
}

export type TrackerErrorHandler = (error: unknown, info: TrackerErrorInfo) => void;
