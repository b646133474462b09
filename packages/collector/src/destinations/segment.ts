import { randomUUID } from "node:crypto";
import type { BatchQueueTuning } from "./batch-queue.js";
import { type HttpDeliveryOptions, postJson } from "./http-delivery.js";
import { FORWARDER_QUEUE, queuedDestination } from "./queued-destination.js";
import { toSegmentMessage } from "./segment-mapping.js";
import type { Destination, DestinationErrorHandler } from "./types.js";

export const SEGMENT_DEFAULT_ENDPOINT = "https://api.segment.io/v1/batch";

/** Segment HTTP Tracking API limits. */
export const SEGMENT_LIMITS = { eventBytes: 32 * 1024, batchBytes: 500 * 1024 } as const;

export interface SegmentDestinationOptions extends HttpDeliveryOptions {
  /** Source write key; sent as HTTP Basic user with an empty password. */
  writeKey: string;
  /** The batch endpoint. Default `https://api.segment.io/v1/batch`. */
  endpoint?: string;
  /** Name in metrics and messages. Default `segment`. */
  name?: string;
  /** Batching and retries (defaults: a send every 20 events or every second, 10,000 held). */
  queue?: BatchQueueTuning;
  onError?: DestinationErrorHandler;
}

export interface MetaRouterDestinationOptions extends SegmentDestinationOptions {
  /** Your MetaRouter cluster's batch endpoint (required: there is no shared default). */
  endpoint: string;
}

/**
 * Sends events to Segment's HTTP Tracking API (or any Segment-compatible batch API): `POST {endpoint}` with
 * `Authorization: Basic base64(writeKey + ":")` and `{ batch: [...], sentAt }` of `page` and `track` calls.
 * Events over 32 KB are skipped; requests stay under 500 KB.
 */
export function segmentDestination(options: SegmentDestinationOptions): Destination {
  const name = options.name ?? "segment";
  if (typeof options.writeKey !== "string" || options.writeKey === "") {
    throw new TypeError(`${name}Destination: options.writeKey must be a non-empty string`);
  }
  const url = options.endpoint ?? SEGMENT_DEFAULT_ENDPOINT;
  const headers = {
    authorization: `Basic ${Buffer.from(`${options.writeKey}:`).toString("base64")}`,
    "user-agent": "tracklet-collector",
  };
  return queuedDestination<string>({
    name,
    whenFull: "drop-oldest",
    ...FORWARDER_QUEUE,
    flushAt: 20,
    ...options.queue,
    maxBatch: Math.min(options.queue?.maxBatch ?? 500, 2500),
    // Room for the `{"batch":[…],"sentAt":…}` envelope.
    maxBatchBytes: SEGMENT_LIMITS.batchBytes - 1024,
    maxItemBytes: SEGMENT_LIMITS.eventBytes,
    sizeOf: (json) => Buffer.byteLength(json),
    onError: options.onError,
    map: (event) => JSON.stringify(toSegmentMessage(event, randomUUID())),
    send(messages, signal) {
      const body = `{"batch":[${messages.join(",")}],"sentAt":"${new Date().toISOString()}"}`;
      return postJson(url, body, headers, signal, options);
    },
  });
}

/** MetaRouter's Segment-compatible batch API: a {@link segmentDestination} named `metarouter`. */
export function metaRouterDestination(options: MetaRouterDestinationOptions): Destination {
  if (typeof options.endpoint !== "string" || options.endpoint === "") {
    throw new TypeError("metaRouterDestination: options.endpoint must be your MetaRouter batch URL");
  }
  return segmentDestination({ ...options, name: options.name ?? "metarouter" });
}
