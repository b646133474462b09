import { AsyncLocalStorage } from "node:async_hooks";
import { toStoredEvent } from "./to-stored-event.js";
import type { TrackerErrorHandler, TrackerEvent, TrackerProcessor, TrackerTarget } from "./types.js";

export interface TrackerOptions {
  /**
   * The collector the events go into (`createCollector()`): they pass its processors and reach its destinations,
   * under its switches (`collect_server_events`, `analytics_disabled`).
   */
  collector: TrackerTarget;
  /** Site id the events are stored under, or a function choosing it per event. */
  site: string | ((event: TrackerEvent) => string);
  /** Run in order before the event leaves the tracker; see {@link TrackerProcessor}. */
  processors?: TrackerProcessor[];
  /** Failures of processors land here; emit never throws. Default: `console.error`. */
  onError?: TrackerErrorHandler;
  /** Clock, for tests. */
  now?: () => Date;
}

export interface Tracker {
  /** Emits one event into the collector. Never throws; a no-op when server events are off or after `close`. */
  emit(name: string, data?: Record<string, unknown>): void;
  /**
   * Pushes a named context onto the current scope's stack (the enclosing `context()` call or request, or the
   * process-wide root outside any). It stays until {@link Tracker.exitContext} or until the scope ends.
   */
  enterContext(name: string, ctx: Record<string, unknown>): void;
  /**
   * Removes the innermost context called `name` from the current scope, even when it is not on top (contexts
   * entered after it stay, in order). Returns false when no context has that name.
   */
  exitContext(name: string): boolean;
  /**
   * Runs `fn` with `ctx` pushed for its whole (sync or async) extent and returns what `fn` returns. The stack is
   * copied into an AsyncLocalStorage scope, so concurrent calls never see each other's contexts.
   */
  context<T>(name: string, ctx: Record<string, unknown>, fn: () => T): T;
  /** The merged context events emitted here would carry (a copy). */
  getContext(): Record<string, unknown>;
  /** Waits until the collector has handed everything emitted so far to its destinations and flushed them. */
  flush(): Promise<void>;
  /** Flushes; later emits are ignored. The collector stays open (close it with `collector.close()`). */
  close(): Promise<void>;
  /** False when the collector's switches turn server events away. */
  readonly enabled: boolean;
}

interface ContextFrame {
  name: string;
  ctx: Record<string, unknown>;
}

interface ContextScope {
  frames: ContextFrame[];
}

const defaultOnError: TrackerErrorHandler = (error, info) => {
  console.error(`tracklet tracker: ${info.stage} ${info.source} failed`, error);
};

function checkOptions(options: TrackerOptions): void {
  const { collector, site } = options;
  if (typeof collector?.ingest !== "function" || typeof collector.collects !== "function") {
    throw new TypeError("createTracker: options.collector must be a collector (createCollector())");
  }
  if (typeof site !== "function" && (typeof site !== "string" || site === "")) {
    throw new TypeError("createTracker: options.site must be a non-empty string or a function");
  }
}

/**
 * Creates a server-side tracker in the style of edX event-tracking: `emit(name, data)` produces
 * `{ name, timestamp, data, context }`, where `context` merges a stack of named contexts, runs the tracker's
 * processors and puts the event into the collector's pipeline as a `server` row of `site`.
 */
export function createTracker(options: TrackerOptions): Tracker {
  checkOptions(options);
  const { collector } = options;
  const siteOf = typeof options.site === "function" ? options.site : () => options.site as string;
  const enabled = collector.collects("server");
  const onError = options.onError ?? defaultOnError;
  const now = options.now ?? (() => new Date());
  const processors = [...(options.processors ?? [])];
  const storage = new AsyncLocalStorage<ContextScope>();
  const root: ContextScope = { frames: [] };
  let closed = false;

  const currentScope = (): ContextScope => storage.getStore() ?? root;

  const mergedContext = (): Record<string, unknown> => {
    const merged: Record<string, unknown> = {};
    for (const frame of currentScope().frames) Object.assign(merged, frame.ctx);
    return merged;
  };

  const report = (error: unknown, info: Parameters<TrackerErrorHandler>[1]): void => {
    try {
      onError(error, info);
    } catch {
      // An error handler that throws must not turn into an emit that throws.
    }
  };

  const checkName = (what: string, name: unknown): name is string => {
    if (typeof name === "string" && name.length > 0) return true;
    report(new TypeError(`tracker.${what}: name must be a non-empty string, got ${JSON.stringify(name)}`), {
      stage: "processor",
      source: what,
    });
    return false;
  };

  return {
    enabled,

    emit(name, data = {}) {
      if (!enabled || closed) return;
      if (!checkName("emit", name)) return;
      let event: TrackerEvent | null = {
        name,
        timestamp: now().toISOString(),
        data: data !== null && typeof data === "object" ? { ...data } : { value: data },
        context: mergedContext(),
      };
      for (const [index, processor] of processors.entries()) {
        try {
          const next: TrackerEvent | null | undefined = processor(event);
          if (next === null) return;
          if (next !== undefined) event = next;
        } catch (error) {
          report(error, { stage: "processor", source: `#${index}`, event });
          return;
        }
      }
      try {
        collector.ingest([toStoredEvent(event, siteOf(event))]);
      } catch (error) {
        report(error, { stage: "emit", source: "collector", event });
      }
    },

    enterContext(name, ctx) {
      if (!checkName("enterContext", name)) return;
      const scope = currentScope();
      // Replace rather than push: child scopes hold a copy of the old array and must not see this frame.
      scope.frames = [...scope.frames, { name, ctx: { ...ctx } }];
    },

    exitContext(name) {
      const scope = currentScope();
      const index = scope.frames.findLastIndex((frame) => frame.name === name);
      if (index === -1) return false;
      scope.frames = scope.frames.filter((_, i) => i !== index);
      return true;
    },

    context(name, ctx, fn) {
      const frames = [...currentScope().frames, { name: String(name), ctx: { ...ctx } }];
      return storage.run({ frames }, fn);
    },

    getContext: mergedContext,

    flush: () => collector.flush(),
    async close() {
      if (closed) return;
      closed = true;
      await collector.flush();
    },
  };
}
