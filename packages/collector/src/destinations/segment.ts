import { randomUUID } from "node:crypto";
import { toJsonSafe } from "../tracker/safe-json.js";
import { createForwarder } from "../forward/forwarder.js";
import type { Forwarder, ForwarderOptions } from "../forward/types.js";

/** Segment HTTP Tracking API limits (as analytics-node enforces them). */
export const SEGMENT_LIMITS = {
  eventBytes: 32 * 1024,
  batchBytes: 500 * 1024,
} as const;

export interface SegmentForwarderOptions extends ForwarderOptions {
  /** Source write key; sent as HTTP Basic user with an empty password. */
  writeKey: string;
  /** Default `https://api.segment.io`. */
  host?: string;
  /** Default `/v1/batch`. */
  path?: string;
  /**
   * `anonymousId` for events without a visitor id (server events): the anonymous install id, e.g.
   * `() => getInstallId(store)`. Resolved when a batch is sent.
   */
  anonymousId: string | (() => string | Promise<string>);
  /** Send the user id as `userId`. Default true. */
  sendUserId?: boolean;
}

/** One Segment message; `anonymousId` null until the batch is built (filled with the fallback id). */
export interface SegmentMessage {
  type: "page" | "track";
  event?: string;
  name?: string;
  properties: Record<string, unknown>;
  anonymousId: string | null;
  userId?: string;
  timestamp: string;
  messageId: string;
  context: Record<string, unknown>;
}

/**
 * Forwards events to Segment's HTTP Tracking API: `POST {host}/v1/batch` with `Authorization: Basic
 * base64(writeKey + ":")` and `{ batch: [...], sentAt }` — pageviews as `page`, custom and server events as
 * `track`. Events over 32 KB are dropped; batches stay under 500 KB. `messageId` is fixed when the event is
 * queued, so a retried batch can be deduplicated by Segment.
 */
export function createSegmentForwarder(options: SegmentForwarderOptions): Forwarder {
  if (typeof options.writeKey !== "string" || options.writeKey === "") {
    throw new TypeError("createSegmentForwarder: options.writeKey must be a non-empty string");
  }
  if (
    typeof options.anonymousId !== "function" &&
    (typeof options.anonymousId !== "string" || options.anonymousId === "")
  ) {
    throw new TypeError(
      "createSegmentForwarder: options.anonymousId must be a string or a function returning one",
    );
  }
  const url = `${(options.host ?? "https://api.segment.io").replace(/\/+$/, "")}${options.path ?? "/v1/batch"}`;
  const authorization = `Basic ${Buffer.from(`${options.writeKey}:`).toString("base64")}`;
  const sendUserId = options.sendUserId !== false;
  const fallbackId = async (): Promise<string> => {
    const id = typeof options.anonymousId === "function" ? await options.anonymousId() : options.anonymousId;
    if (typeof id !== "string" || id === "")
      throw new TypeError("Segment forwarder: anonymousId() returned no id");
    return id;
  };

  return createForwarder<SegmentMessage>({
    flushAt: 15,
    ...options,
    name: "segment",
    maxBatchItems: 10_000,
    // Room for the `{"batch":[…],"sentAt":…}` envelope.
    maxBatchBytes: SEGMENT_LIMITS.batchBytes - 1024,
    maxItemBytes: SEGMENT_LIMITS.eventBytes,
    map(event) {
      if (event.kind === "engagement") return null;
      const page = {
        ...(event.url !== null ? { url: event.url } : {}),
        ...(event.path !== null ? { path: event.path } : {}),
        ...(event.title !== null ? { title: event.title } : {}),
        ...(event.referrer !== null ? { referrer: event.referrer } : {}),
      };
      const props = toJsonSafe(event.props) as Record<string, unknown>;
      const base = {
        anonymousId: event.visitorId,
        ...(sendUserId && event.userId !== null ? { userId: event.userId } : {}),
        timestamp: new Date(event.ts).toISOString(),
        messageId: randomUUID(),
        context: {
          library: { name: "tracklet", version: "0.1.0" },
          ...(Object.keys(page).length > 0 ? { page } : {}),
        },
      };
      if (event.kind === "pageview") {
        return {
          type: "page",
          ...(event.title ? { name: event.title } : {}),
          properties: { ...props, ...page },
          ...base,
        };
      }
      return { type: "track", event: event.name ?? "event", properties: props, ...base };
    },
    async buildRequest(messages) {
      const needsFallback = messages.some((m) => m.anonymousId === null);
      const fallback = needsFallback ? await fallbackId() : null;
      const batch = messages.map((m) => (m.anonymousId === null ? { ...m, anonymousId: fallback } : m));
      return {
        url,
        init: {
          method: "POST",
          headers: { "content-type": "application/json", authorization, "user-agent": "tracklet-collector" },
          body: JSON.stringify({ batch, sentAt: new Date().toISOString() }),
        },
      };
    },
  });
}
