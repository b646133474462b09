import type { CollectorOptions } from "./collector-options.js";
import { isPostgresUrl, openStore } from "./store/open-store.js";
import { PostgresStore } from "./store/postgres/postgres-store.js";
import type { EventStore } from "./store/types.js";

export interface CollectorStore {
  store: EventStore;
  /** Resolves when the store is open and migrated. */
  ready: Promise<void>;
  /** Whether the collector opened it (and so closes it). */
  owned: boolean;
  /** PostgreSQL takes several batches at once through its pool; SQLite has one writer anyway. */
  pooled: boolean;
}

/** The store: given, or opened from its spec in the background (migrations); callers wait for `ready`. */
export function collectorStore(
  option: CollectorOptions["store"],
  spec: string,
  now: () => number,
): CollectorStore {
  if (typeof option === "object") {
    return { store: option, ready: option.migrate(), owned: false, pooled: option instanceof PostgresStore };
  }
  const lazy = new LazyStore();
  const ready = openStore(spec, { now }).then((s) => lazy.resolve(s));
  return { store: lazy.proxy, ready, owned: true, pooled: isPostgresUrl(spec) };
}

/** A store handle usable before the real store is open: every call waits for it. */
class LazyStore {
  private target: EventStore | undefined;
  private readonly waiting: Promise<EventStore>;
  private settle!: (store: EventStore) => void;
  readonly proxy: EventStore;

  constructor() {
    this.waiting = new Promise((resolve) => {
      this.settle = resolve;
    });
    this.proxy = new Proxy({} as EventStore, {
      get: (_t, prop) => {
        if (prop === "then") return undefined;
        if (this.target) {
          const value = (this.target as unknown as Record<PropertyKey, unknown>)[prop];
          return typeof value === "function" ? value.bind(this.target) : value;
        }
        return async (...args: unknown[]) => {
          const store = await this.waiting;
          const fn = (store as unknown as Record<PropertyKey, (...a: unknown[]) => unknown>)[prop];
          if (typeof fn !== "function") throw new TypeError(`store.${String(prop)} is not a function`);
          return fn.apply(store, args);
        };
      },
    });
  }

  resolve(store: EventStore): void {
    this.target = store;
    this.settle(store);
  }
}
