import { createHash } from "node:crypto";
import { WIRE_LIMITS } from "@tracklet/browser-sdk/wire";
import type { EventStore, StoredEvent } from "../store/types.js";
import type { TrackerBackend, TrackerEvent } from "../tracker/types.js";
import { flattenProps } from "../tracker/flatten-props.js";

export interface StoreBackendOptions {
  store: Pick<EventStore, "insertEvents">;
  /** Site id the events are stored under, or a function choosing it per event. */
  site: string | ((event: TrackerEvent) => string);
  /** Events per `insertEvents` call; reaching it triggers a write. Default 100. */
  flushAt?: number;
  /** Longest wait before a write, ms (unref'd timer). Default 1000. */
  flushInterval?: number;
  /** Events held while the store fails; past it the oldest are dropped and counted. Default 10000. */
  maxQueue?: number;
}

export interface StoreBackend extends TrackerBackend {
  flush(): Promise<void>;
  close(): Promise<void>;
  readonly dropped: number;
}

/**
 * Stores tracker events as `StoredEvent` rows of type `server`, batched into `insertEvents`. The user comes from
 * the context's `user` (or `user_id`), the path from the context's `path` (set by `requestContext`). A failed
 * insert keeps its rows for the next flush and rejects, which the tracker reports.
 */
export function createStoreBackend(options: StoreBackendOptions): StoreBackend {
  if (typeof options?.store?.insertEvents !== "function") {
    throw new TypeError("createStoreBackend: options.store must implement insertEvents(events)");
  }
  if (typeof options.site !== "function" && (typeof options.site !== "string" || options.site === "")) {
    throw new TypeError("createStoreBackend: options.site must be a non-empty string or a function");
  }
  const flushAt = options.flushAt ?? 100;
  const flushInterval = options.flushInterval ?? 1000;
  const maxQueue = options.maxQueue ?? 10_000;
  const siteOf = typeof options.site === "function" ? options.site : () => options.site as string;
  let queue: StoredEvent[] = [];
  let dropped = 0;
  let chain: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;

  const insert = async (rows: StoredEvent[]): Promise<void> => {
    try {
      await options.store.insertEvents(rows);
    } catch (error) {
      queue = [...rows, ...queue];
      const excess = queue.length - maxQueue;
      if (excess > 0) {
        queue.splice(0, excess);
        dropped += excess;
      }
      throw error;
    }
  };

  const flush = (): Promise<void> => {
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    chain = chain
      .catch(() => undefined)
      .then(async () => {
        while (queue.length > 0) await insert(queue.splice(0, flushAt));
      });
    return chain;
  };

  return {
    get dropped() {
      return dropped;
    },
    send(event) {
      queue.push(toStoredEvent(event, siteOf(event)));
      if (queue.length > maxQueue) {
        queue.shift();
        dropped += 1;
      }
      if (queue.length >= flushAt) return flush();
      if (flushInterval > 0 && !timer) {
        timer = setTimeout(() => {
          timer = undefined;
          flush().catch(() => undefined);
        }, flushInterval);
        timer.unref();
      }
    },
    flush,
    close: flush,
  };
}

/**
 * Maps one tracker event to a `server` row. Server events carry no IP or user agent: the visitor id is a hash of
 * site and user (or session; `anonymous` when neither is known) and the session id a hash of the session (or the
 * visitor), so raw session tokens are never stored.
 */
export function toStoredEvent(event: TrackerEvent, site: string): StoredEvent {
  const ctx = event.context;
  const userId = stringOrNull(ctx.user ?? ctx.user_id);
  const session = stringOrNull(ctx.session ?? ctx.session_id);
  const visitorId = hash(
    `server|${site}|${userId !== null ? `u:${userId}` : session !== null ? `s:${session}` : "anonymous"}`,
  );
  const ts = Date.parse(event.timestamp);
  const path = stringOrNull(ctx.path);
  const url = stringOrNull(ctx.url);
  return {
    site,
    type: "server",
    name: event.name.slice(0, WIRE_LIMITS.maxNameLength),
    ts: Number.isFinite(ts) ? ts : Date.now(),
    clientTs: null,
    url: url?.slice(0, WIRE_LIMITS.maxUrlLength) ?? null,
    path: path?.slice(0, WIRE_LIMITS.maxUrlLength) ?? null,
    title: null,
    referrer: null,
    referrerSource: null,
    utmSource: null,
    utmMedium: null,
    utmCampaign: null,
    visitorId,
    sessionId: session !== null ? hash(`session|${site}|${session}`) : visitorId,
    userId,
    browser: null,
    os: null,
    device: null,
    engagedMs: null,
    props: flattenProps(event.data, {
      maxProps: WIRE_LIMITS.maxProps,
      maxKeyLength: WIRE_LIMITS.maxPropKeyLength,
      maxValueLength: WIRE_LIMITS.maxPropValueLength,
    }),
  };
}

function stringOrNull(value: unknown): string | null {
  if (typeof value === "string") return value === "" ? null : value;
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  return null;
}

function hash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 32);
}
