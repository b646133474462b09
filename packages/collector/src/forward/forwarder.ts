import { isStreamEnabled, type OptOutOptions } from "../tracker/opt-out.js";
import type { TrackerEvent } from "../tracker/types.js";
import { DeliveryQueue, type DeliveryQueueOptions } from "./delivery-queue.js";
import { type ForwardEvent, toForwardEvent } from "./forward-event.js";
import type { Forwarder, ForwardInput } from "./types.js";

export interface ForwarderSpec<T> extends DeliveryQueueOptions<T>, OptOutOptions {
  /** Destination message for one event, or null when the destination has no equivalent (counted as skipped). */
  map: (event: ForwardEvent) => T | null;
}

/** Builds a {@link Forwarder} from a mapper and the shared delivery queue; GA4 and Segment are two specs. */
export function createForwarder<T>(spec: ForwarderSpec<T>): Forwarder {
  const queue = spec.disabled === true ? undefined : new DeliveryQueue<T>(spec);
  let skipped = 0;
  let invalid = 0;
  const report = (error: unknown) => {
    try {
      (spec.onError ?? ((e) => console.error(`tracklet ${spec.name} forwarder:`, e)))(error);
    } catch {
      // Never let reporting break the caller.
    }
  };

  const forward = (input: ForwardInput): boolean => {
    if (!queue) return false;
    let event: ForwardEvent;
    let message: T | null;
    try {
      event = toForwardEvent(input);
      if (!isStreamEnabled(spec, event.stream)) {
        skipped += 1;
        return false;
      }
      message = spec.map(event);
    } catch (error) {
      invalid += 1;
      report(error);
      return false;
    }
    if (message === null) {
      skipped += 1;
      return false;
    }
    return queue.push(message);
  };

  return {
    name: spec.name,
    forward,
    send(event: TrackerEvent) {
      forward(event);
    },
    flush: async () => queue?.flush(),
    close: async (options) => queue?.close(options),
    stats() {
      const base = queue?.stats() ?? { queued: 0, sent: 0, failed: 0, dropped: 0, retries: 0 };
      return { ...base, dropped: base.dropped + invalid, skipped };
    },
  };
}
