import type { BatchQueueTuning } from "./batch-queue.js";
import { GA4_LIMITS, toGa4Event } from "./ga4-mapping.js";
import { type HttpDeliveryOptions, postJson } from "./http-delivery.js";
import { FORWARDER_QUEUE, queuedDestination } from "./queued-destination.js";
import type { Destination, DestinationErrorHandler } from "./types.js";

export const GA4_DEFAULT_ENDPOINT = "https://www.google-analytics.com/mp/collect";

export interface Ga4DestinationOptions extends HttpDeliveryOptions {
  /** `G-XXXXXXX` of the web data stream. */
  measurementId: string;
  /** A Measurement Protocol API secret of that stream. */
  apiSecret: string;
  /** Default `https://www.google-analytics.com/mp/collect`; a region endpoint, a proxy or a test server. */
  endpoint?: string;
  /** Send the signed-in user's id as `user_id`. Default true. */
  sendUserId?: boolean;
  /** Batching and retries (defaults: 25 events a request, a send at least every second, 10,000 held). */
  queue?: BatchQueueTuning;
  onError?: DestinationErrorHandler;
}

/** One queued GA4 event with what its request envelope needs. */
interface Ga4Item {
  /** Events of different visitors or users never share a request: `client_id` and `user_id` are per request. */
  key: string;
  clientId: string;
  userId: string | null;
  json: string;
}

/**
 * Sends events to a GA4 property with the Measurement Protocol: `POST {endpoint}?measurement_id=…&api_secret=…`
 * with `{ client_id, user_id?, events: [...] }`, at most 25 events a request. `client_id` is the visitor id (a
 * salted daily hash), so GA4 counts visitors and sessions without any IP leaving the collector. The protocol
 * answers 2xx even to malformed events; point `endpoint` at `/debug/mp/collect` to validate.
 */
export function ga4Destination(options: Ga4DestinationOptions): Destination {
  for (const key of ["measurementId", "apiSecret"] as const) {
    if (typeof options[key] !== "string" || options[key] === "") {
      throw new TypeError(`ga4Destination: options.${key} must be a non-empty string`);
    }
  }
  const query = new URLSearchParams({ measurement_id: options.measurementId, api_secret: options.apiSecret });
  const endpoint = options.endpoint ?? GA4_DEFAULT_ENDPOINT;
  const url = `${endpoint}${endpoint.includes("?") ? "&" : "?"}${query}`;
  const sendUserId = options.sendUserId !== false;
  const itemBytes = GA4_LIMITS.bodyBytes - 1024;
  return queuedDestination<Ga4Item>({
    name: "ga4",
    whenFull: "drop-oldest",
    ...FORWARDER_QUEUE,
    flushAt: GA4_LIMITS.eventsPerRequest,
    ...options.queue,
    maxBatch: GA4_LIMITS.eventsPerRequest,
    maxBatchBytes: itemBytes,
    maxItemBytes: itemBytes,
    sizeOf: (item) => Buffer.byteLength(item.json),
    batchKey: (item) => item.key,
    onError: options.onError,
    map({ row }) {
      // The client's clock when it is not ahead of ours: GA4 drops events dated in the future.
      const userId = sendUserId ? row.userId : null;
      const event = { ...toGa4Event(row), timestamp_micros: Math.min(row.clientTs ?? row.ts, row.ts) * 1000 };
      return {
        key: `${row.visitorId}\n${userId ?? ""}`,
        clientId: row.visitorId,
        userId,
        json: JSON.stringify(event),
      };
    },
    send(items, signal) {
      const first = items[0] as Ga4Item;
      const envelope = `{"client_id":${JSON.stringify(first.clientId)}${first.userId !== null ? `,"user_id":${JSON.stringify(first.userId)}` : ""}`;
      const body = `${envelope},"events":[${items.map((i) => i.json).join(",")}]}`;
      return postJson(url, body, {}, signal, options);
    },
  });
}
