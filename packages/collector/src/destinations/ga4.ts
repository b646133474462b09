import { createForwarder } from "../forward/forwarder.js";
import { GA4_LIMITS, type Ga4Event, toGa4Event } from "./ga4-mapping.js";
import type { Forwarder, ForwarderOptions } from "../forward/types.js";

export interface Ga4ForwarderOptions extends ForwarderOptions {
  /** `G-XXXXXXX` of the web data stream. */
  measurementId: string;
  /** A Measurement Protocol API secret of that stream. */
  apiSecret: string;
  /**
   * The `client_id` every event is sent with: the anonymous install id, e.g. `() => getInstallId(store)`.
   * Resolved when a batch is sent; a failure is retried like a network error.
   */
  clientId: string | (() => string | Promise<string>);
  /** Default `https://www.google-analytics.com`. */
  endpoint?: string;
  /** Send to `/debug/mp/collect` (validation messages, nothing recorded). */
  debug?: boolean;
  /** Send the user id as `user_id`. Default true. */
  sendUserId?: boolean;
  /** `engagement_time_msec` for events without their own engagement time. Default 1. */
  engagementTimeMsec?: number;
}

interface Ga4Message {
  userId: string | null;
  event: Ga4Event & { params: Ga4Event["params"] };
  timestampMicros: number;
}

/**
 * Forwards events to a GA4 property with the Measurement Protocol: `POST {endpoint}/mp/collect?measurement_id=…
 * &api_secret=…` with `{ client_id, user_id?, events: [...] }`, at most 25 events per request (events of
 * different users go in different requests, as `user_id` is per request). The protocol answers 2xx even to
 * malformed events; use `debug: true` to validate.
 */
export function createGa4Forwarder(options: Ga4ForwarderOptions): Forwarder {
  for (const key of ["measurementId", "apiSecret"] as const) {
    if (typeof options[key] !== "string" || options[key] === "") {
      throw new TypeError(`createGa4Forwarder: options.${key} must be a non-empty string`);
    }
  }
  if (
    typeof options.clientId !== "function" &&
    (typeof options.clientId !== "string" || options.clientId === "")
  ) {
    throw new TypeError("createGa4Forwarder: options.clientId must be a string or a function returning one");
  }
  const endpoint = (options.endpoint ?? "https://www.google-analytics.com").replace(/\/+$/, "");
  const query = new URLSearchParams({ measurement_id: options.measurementId, api_secret: options.apiSecret });
  const url = `${endpoint}${options.debug ? "/debug" : ""}/mp/collect?${query}`;
  const sendUserId = options.sendUserId !== false;
  const engagementTimeMsec = options.engagementTimeMsec ?? 1;
  const clientId = async (): Promise<string> => {
    const id = typeof options.clientId === "function" ? await options.clientId() : options.clientId;
    if (typeof id !== "string" || id === "") throw new TypeError("GA4 forwarder: clientId() returned no id");
    return id;
  };

  return createForwarder<Ga4Message>({
    flushAt: GA4_LIMITS.eventsPerRequest,
    ...options,
    name: "ga4",
    maxBatchItems: GA4_LIMITS.eventsPerRequest,
    // Room for the envelope (client_id, user_id).
    maxBatchBytes: GA4_LIMITS.bodyBytes - 1024,
    maxItemBytes: GA4_LIMITS.bodyBytes - 1024,
    batchKey: (message) => message.userId ?? "",
    map(event) {
      const ga4 = toGa4Event(event, { engagementTimeMsec });
      if (!ga4) return null;
      return {
        userId: sendUserId ? event.userId : null,
        event: ga4,
        timestampMicros: Math.round(event.ts) * 1000,
      };
    },
    async buildRequest(messages) {
      const first = messages[0];
      const body = {
        client_id: await clientId(),
        ...(first?.userId ? { user_id: first.userId } : {}),
        events: messages.map((m) => ({ ...m.event, timestamp_micros: m.timestampMicros })),
      };
      return {
        url,
        init: { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) },
      };
    },
  });
}
