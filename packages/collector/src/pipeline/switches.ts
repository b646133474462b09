import type { StoredEventType } from "../store/types.js";

/** The opt-out switches (Alliance Auth style: one global switch, three independent streams). */
export interface CollectionSwitches {
  /** `analytics_disabled`: collect and forward nothing; `/collect` answers 204. */
  analyticsDisabled: boolean;
  /** `collect_pageviews`: browser pageviews and their engagement reports. */
  collectPageviews: boolean;
  /** `collect_events`: browser custom events. */
  collectEvents: boolean;
  /** `collect_server_events`: events from the server-side tracker and the action log. */
  collectServerEvents: boolean;
}

/** Whether events of `type` flow under the switches. */
export function isCollected(switches: CollectionSwitches, type: StoredEventType): boolean {
  if (switches.analyticsDisabled) return false;
  if (type === "pageview" || type === "engagement") return switches.collectPageviews;
  if (type === "event") return switches.collectEvents;
  return switches.collectServerEvents;
}
