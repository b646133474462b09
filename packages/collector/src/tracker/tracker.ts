import { AsyncLocalStorage } from "node:async_hooks";
import { compileEventPattern } from "./event-pattern.js";
import { isStreamEnabled, type OptOutOptions } from "./opt-out.js";
import type {
  BackendRoute,
  TrackerBackend,
  TrackerErrorHandler,
  TrackerEvent,
  TrackerProcessor,
} from "./types.js";

export interface TrackerOptions extends OptOutOptions {
  /** Where events go; each event goes to every route whose `match` accepts its name. */
  backends?: Array<BackendRoute | TrackerBackend>;
  /** Run in order before routing; see {@link TrackerProcessor}. */
  processors?: TrackerProcessor[];
  /** Failures of processors and backends land here; emit never throws. Default: `console.error`. */
  onError?: TrackerErrorHandler;
  /** Clock, for tests. */
  now?: () => Date;
}

export interface Tracker {
  /** Emits one event to every matching backend. Never throws; a no-op when disabled or closed. */
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
  /** Waits for in-flight backend sends, then flushes every backend. */
  flush(): Promise<void>;
  /** Flushes and closes every backend; later emits are ignored. */
  close(): Promise<void>;
  /** False when disabled by the opt-out switches. */
  readonly enabled: boolean;
}

interface ContextFrame {
  name: string;
  ctx: Record<string, unknown>;
}

interface ContextScope {
  frames: ContextFrame[];
}

interface Route {
  backend: TrackerBackend;
  matches: (name: string) => boolean;
  name: string;
}

const defaultOnError: TrackerErrorHandler = (error, info) => {
  console.error(`tracklet tracker: ${info.stage} ${info.source} failed`, error);
};

/**
 * Creates a server-side tracker in the style of edX event-tracking: `emit(name, data)` produces
 * `{ name, timestamp, data, context }`, where `context` merges a stack of named contexts.
 */
export function createTracker(options: TrackerOptions = {}): Tracker {
  const enabled = isStreamEnabled(options, "server");
  const onError = options.onError ?? defaultOnError;
  const now = options.now ?? (() => new Date());
  const processors = [...(options.processors ?? [])];
  const routes: Route[] = (options.backends ?? []).map((entry, index) => {
    const route: BackendRoute = "backend" in entry ? entry : { backend: entry };
    if (typeof route.backend?.send !== "function") {
      throw new TypeError(`createTracker: backends[${index}] has no send(event) function`);
    }
    return {
      backend: route.backend,
      matches: compileEventPattern(route.match),
      name: route.name ?? `#${index}`,
    };
  });
  const storage = new AsyncLocalStorage<ContextScope>();
  const root: ContextScope = { frames: [] };
  const inFlight = new Set<Promise<void>>();
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

  const dispatch = (route: Route, event: TrackerEvent): void => {
    let result: void | Promise<void>;
    try {
      result = route.backend.send(event);
    } catch (error) {
      report(error, { stage: "backend", source: route.name, event });
      return;
    }
    if (result && typeof (result as Promise<void>).then === "function") {
      const pending = Promise.resolve(result).then(
        () => undefined,
        (error: unknown) => report(error, { stage: "backend", source: route.name, event }),
      );
      inFlight.add(pending);
      void pending.finally(() => inFlight.delete(pending));
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
      for (const route of routes) {
        if (route.matches(event.name)) dispatch(route, event);
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

    async flush() {
      await Promise.all([...inFlight]);
      for (const route of routes) {
        try {
          await route.backend.flush?.();
        } catch (error) {
          report(error, { stage: "flush", source: route.name });
        }
      }
    },

    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([...inFlight]);
      const done = new Set<TrackerBackend>();
      for (const route of routes) {
        // One backend may serve several routes; close it once.
        if (done.has(route.backend)) continue;
        done.add(route.backend);
        try {
          if (route.backend.close) await route.backend.close();
          else await route.backend.flush?.();
        } catch (error) {
          report(error, { stage: "close", source: route.name });
        }
      }
    },
  };
}
