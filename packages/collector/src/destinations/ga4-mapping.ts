import type { StoredEvent } from "../store/types.js";

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

/**
 * Maps one event to a GA4 event. Pageviews become `page_view` with `page_location`, `page_title` and
 * `page_referrer`; engagement reports `user_engagement` with their `engagement_time_msec`; custom and server events
 * keep a GA4-valid name and their properties as parameters (names made valid, values cut to 100 characters, at
 * most 25 parameters). Every event carries `session_id` and `engagement_time_msec` (1 ms when it has none), which
 * GA4's session and active-user reports need.
 */
export function toGa4Event(row: StoredEvent): Ga4Event {
  const params: Record<string, Ga4ParamValue> = {};
  let count = 0;
  const put = (key: string, value: unknown, maxLength: number = GA4_LIMITS.paramValueLength) => {
    if (count >= GA4_LIMITS.paramsPerEvent || key in params || value === null || value === undefined) return;
    if (typeof value === "number") {
      if (!Number.isFinite(value)) return;
      params[key] = value;
    } else {
      params[key] = (typeof value === "string" ? value : String(value)).slice(0, maxLength);
    }
    count++;
  };
  put("session_id", row.sessionId || null);
  put("engagement_time_msec", Math.max(1, Math.round(row.engagedMs ?? 1)));
  put("page_location", row.url, GA4_LIMITS.pageLocationLength);
  if (row.type === "pageview") {
    put("page_title", row.title, GA4_LIMITS.pageTitleLength);
    // gtag.js leaves out an empty referrer (a direct visit); so does the mapping.
    put("page_referrer", row.referrer || null, GA4_LIMITS.pageReferrerLength);
  }
  for (const [key, value] of Object.entries(row.props ?? {})) {
    put(ga4Name(key, GA4_LIMITS.paramNameLength, "param"), value);
  }
  return { name: ga4EventName(row), params };
}

function ga4EventName(row: StoredEvent): string {
  if (row.type === "pageview") return "page_view";
  if (row.type === "engagement") return "user_engagement";
  return ga4Name(row.name ?? "event");
}
