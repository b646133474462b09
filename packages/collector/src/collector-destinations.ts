import type { CollectorOptions } from "./collector-options.js";
import type { CollectorStore } from "./collector-store.js";
import type { CollectorSettings } from "./config/collector-config.js";
import { ga4Destination } from "./destinations/ga4.js";
import { matomoDestination } from "./destinations/matomo.js";
import { metaRouterDestination, segmentDestination } from "./destinations/segment.js";
import { storeDestination } from "./destinations/store.js";
import type { CollectedEvent, Destination, DestinationErrorHandler } from "./destinations/types.js";

/**
 * The store, then the services named by `forward`, then the vendor of `[webserver]` in first-party mode, then the
 * destinations built in code.
 */
export function collectorDestinations(
  settings: CollectorSettings,
  options: CollectorOptions,
  { store, ready, pooled }: CollectorStore,
  onError: DestinationErrorHandler,
  onWritten?: (events: readonly CollectedEvent[]) => void,
): Destination[] {
  const destinations: Destination[] = [
    storeDestination({
      store,
      ready,
      onWritten,
      queue: { ...options.queue, concurrency: options.queue?.concurrency ?? (pooled ? 4 : 1) },
      onError,
    }),
  ];
  for (const target of settings.forward) destinations.push(forwardDestination(target, settings, onError));
  if (settings.firstParty) destinations.push(firstPartyDestination(settings, onError));
  destinations.push(...(options.destinations ?? []));
  const names = new Set<string>();
  for (const { name } of destinations) {
    if (names.has(name)) throw new TypeError(`createCollector: two destinations are named ${name}`);
    names.add(name);
  }
  return destinations;
}

/** A `forward` service from the settings (`checkForwardSettings` made sure its options are there). */
function forwardDestination(
  target: CollectorSettings["forward"][number],
  s: CollectorSettings,
  onError: DestinationErrorHandler,
): Destination {
  if (target === "ga4") {
    return ga4Destination({
      measurementId: s.ga4MeasurementId as string,
      apiSecret: s.ga4ApiSecret as string,
      ...(s.ga4Endpoint ? { endpoint: s.ga4Endpoint } : {}),
      onError,
    });
  }
  if (target === "segment") {
    return segmentDestination({
      writeKey: s.segmentWriteKey as string,
      ...(s.segmentEndpoint ? { endpoint: s.segmentEndpoint } : {}),
      onError,
    });
  }
  return metaRouterDestination({
    writeKey: s.metarouterWriteKey as string,
    endpoint: s.metarouterEndpoint as string,
    onError,
  });
}

/** `analytics_mode = first_party`: the vendor of `[webserver]`, with `analytics_id` as its id or key. */
function firstPartyDestination(s: CollectorSettings, onError: DestinationErrorHandler): Destination {
  const { tool, id, url } = s.firstParty as NonNullable<CollectorSettings["firstParty"]>;
  if (tool === "matomo") return matomoDestination({ url: url as string, siteId: id, onError });
  if (tool === "google_analytics") return forwardDestination("ga4", { ...s, ga4MeasurementId: id }, onError);
  if (tool === "segment") return forwardDestination("segment", { ...s, segmentWriteKey: id }, onError);
  return forwardDestination("metarouter", { ...s, metarouterWriteKey: id }, onError);
}
