import type { BatchQueueTuning } from "./batch-queue.js";
import { type HttpDeliveryOptions, postJson } from "./http-delivery.js";
import { toMatomoRequest } from "./matomo-mapping.js";
import { FORWARDER_QUEUE, queuedDestination } from "./queued-destination.js";
import type { Destination, DestinationErrorHandler } from "./types.js";

export interface MatomoDestinationOptions extends HttpDeliveryOptions {
  /** The Matomo instance's base URL, e.g. `https://matomo.example.com/`; requests go to its `matomo.php`. */
  url: string;
  /** The Matomo site id (`idsite`). */
  siteId: string;
  /** Batching and retries (defaults: a send every 20 events or every second, 10,000 held). */
  queue?: BatchQueueTuning;
  onError?: DestinationErrorHandler;
}

/** The tracking endpoint of a Matomo base URL (with or without its trailing slash). */
export function matomoTrackingUrl(base: string): string {
  return new URL("matomo.php", base.endsWith("/") ? base : `${base}/`).href;
}

/**
 * Sends events to Matomo's HTTP Tracking API with bulk tracking: `POST {url}matomo.php` with
 * `{"requests": ["?idsite=…&rec=1&…", …]}`, at most 100 requests a post.
 */
export function matomoDestination(options: MatomoDestinationOptions): Destination {
  if (typeof options.siteId !== "string" || !/^[1-9]\d{0,9}$/.test(options.siteId)) {
    throw new TypeError("matomoDestination: options.siteId must be a Matomo site id (a positive integer)");
  }
  let url: string;
  try {
    url = matomoTrackingUrl(options.url);
  } catch {
    throw new TypeError("matomoDestination: options.url must be the http(s) URL of the Matomo instance");
  }
  const headers = { "user-agent": "tracklet-collector" };
  return queuedDestination<string>({
    name: "matomo",
    whenFull: "drop-oldest",
    ...FORWARDER_QUEUE,
    flushAt: 20,
    ...options.queue,
    maxBatch: Math.min(options.queue?.maxBatch ?? 100, 100),
    onError: options.onError,
    map: (event) => JSON.stringify(toMatomoRequest(event, options.siteId)),
    send(requests, signal) {
      return postJson(url, `{"requests":[${requests.join(",")}]}`, headers, signal, options);
    },
  });
}
