import type { ForwardEvent } from "../forward/forward-event.js";

/** GA4 Measurement Protocol limits (Google's "limitations" for the protocol). */
export const GA4_LIMITS = {
  eventsPerRequest: 25,
  paramsPerEvent: 25,
  nameLength: 40,
  paramNameLength: 40,
  paramValueLength: 100,
  /** Longer limits of the page parameters. */
  pageLocationLength: 1000,
  pageReferrerLength: 420,
  pageTitleLength: 300,
  bodyBytes: 130_000,
} as const;

/** Event names GA4 reserves for itself; a custom event with one of these names would be rejected. */
const RESERVED_EVENT_NAMES = new Set([
  "ad_activeview",
  "ad_click",
  "ad_exposure",
  "ad_impression",
  "ad_query",
  "ad_reward",
  "adunit_exposure",
  "app_background",
  "app_clear_data",
  "app_exception",
  "app_remove",
  "app_store_refund",
  "app_store_subscription_cancel",
  "app_store_subscription_convert",
  "app_store_subscription_renew",
  "app_update",
  "app_upgrade",
  "dynamic_link_app_open",
  "dynamic_link_app_update",
  "dynamic_link_first_open",
  "error",
  "first_open",
  "first_visit",
  "in_app_purchase",
  "notification_dismiss",
  "notification_foreground",
  "notification_open",
  "notification_receive",
  "os_update",
  "session_start",
  "session_start_with_rollout",
  "user_engagement",
]);

/** Name prefixes GA4 reserves, for events and parameters alike. */
const RESERVED_PREFIXES = ["_", "firebase_", "ga_", "google_", "gtag."];

export type Ga4ParamValue = string | number;

export interface Ga4Event {
  name: string;
  params: Record<string, Ga4ParamValue>;
}

/**
 * A valid GA4 name from any text: letters, digits and underscores, starting with a letter, lower case, at most
 * `maxLength` characters, never reserved (`session_start` → `x_session_start`, `ga_x` → `x_ga_x`).
 */
export function ga4Name(text: string, maxLength: number = GA4_LIMITS.nameLength, fallback = "event"): string {
  let name = text
    .normalize("NFKD")
    // Drop the combining accents NFKD split off, so `é` becomes `e` rather than `e_`.
    .replace(/\p{M}+/gu, "")
    .replace(/[^A-Za-z0-9_]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .toLowerCase();
  if (name === "") name = fallback;
  if (!/^[a-z]/.test(name)) name = `e_${name}`;
  if (RESERVED_EVENT_NAMES.has(name) || RESERVED_PREFIXES.some((prefix) => name.startsWith(prefix))) {
    name = `x_${name}`;
  }
  return name.slice(0, maxLength).replace(/_+$/, "");
}

export interface Ga4MapOptions {
  /** Sent when the event has no engagement time of its own; GA4 needs it for realtime and active users. */
  engagementTimeMsec: number;
}

/**
 * Maps one event to a GA4 event: pageviews become `page_view` with `page_location`/`page_title`/
 * `page_referrer`; custom and server events keep a sanitised name and their properties as parameters (names
 * sanitised, values cut to 100 characters, at most 25 parameters including `session_id` and
 * `engagement_time_msec`). Engagement reports have no MP equivalent (`user_engagement` is reserved): null.
 */
export function toGa4Event(event: ForwardEvent, options: Ga4MapOptions): Ga4Event | null {
  if (event.kind === "engagement") return null;
  const params: Record<string, Ga4ParamValue> = {};
  const put = (key: string, value: unknown, maxLength: number = GA4_LIMITS.paramValueLength) => {
    if (Object.keys(params).length >= GA4_LIMITS.paramsPerEvent || key in params) return;
    if (value === null || value === undefined) return;
    if (typeof value === "number") {
      if (Number.isFinite(value)) params[key] = value;
      return;
    }
    const text =
      typeof value === "string" ? value : typeof value === "boolean" ? String(value) : JSON.stringify(value);
    if (typeof text === "string") params[key] = text.slice(0, maxLength);
  };
  if (event.sessionId !== null) put("session_id", event.sessionId);
  put("engagement_time_msec", Math.max(1, Math.round(event.engagedMs ?? options.engagementTimeMsec)));
  put("page_location", event.url, GA4_LIMITS.pageLocationLength);
  if (event.kind === "pageview") {
    put("page_title", event.title, GA4_LIMITS.pageTitleLength);
    put("page_referrer", event.referrer, GA4_LIMITS.pageReferrerLength);
  }
  for (const [key, value] of Object.entries(event.props)) {
    put(ga4Name(key, GA4_LIMITS.paramNameLength, "param"), value);
  }
  const name = event.kind === "pageview" ? "page_view" : ga4Name(event.name ?? "event");
  return { name, params };
}
