/** One event as the tracker hands it to processors and backends (edX event-tracking's shape). */
export interface TrackerEvent {
  name: string;
  /** Emit time, ISO 8601 UTC. */
  timestamp: string;
  data: Record<string, unknown>;
  /** Merge of every context entered at emit time, inner contexts winning on key clashes. */
  context: Record<string, unknown>;
}

/**
 * Where events go. `send` may be sync or async; a throw or rejection is reported through the tracker's
 * `onError` and never reaches the code that called `emit`. Backends must not mutate the event: every
 * matching backend receives the same object.
 */
export interface TrackerBackend {
  send(event: TrackerEvent): void | Promise<void>;
  /** Write out anything buffered. */
  flush?(): Promise<void>;
  /** Flush and release resources; the tracker calls it from its own `close()`. */
  close?(): Promise<void>;
}

/**
 * A step of the processing chain. Return the event (possibly modified or replaced) to pass it on, `null` to
 * drop it; `undefined` keeps the event as it is (for processors that only mutate). A throwing processor drops
 * the event, so a failing redaction step never lets unredacted data through.
 */
export type TrackerProcessor = (event: TrackerEvent) => TrackerEvent | null | undefined;

/** Which events a backend receives: exact name, glob (`*` any run of characters, `?` one), or RegExp. */
export type EventPattern = string | RegExp;

export interface BackendRoute {
  backend: TrackerBackend;
  /** Default: every event. A list matches when any pattern does. */
  match?: EventPattern | EventPattern[];
  /** Used in error reports; defaults to the route's index. */
  name?: string;
}

/** Where a failure happened, for `onError`. */
export interface TrackerErrorInfo {
  stage: "processor" | "backend" | "flush" | "close";
  /** Backend route name or processor index. */
  source: string;
  event?: TrackerEvent;
}

export type TrackerErrorHandler = (error: unknown, info: TrackerErrorInfo) => void;
