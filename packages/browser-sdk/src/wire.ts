/**
 * The wire format between the browser SDK and the collector: one definition both sides import
 * (`@tracklet/browser-sdk/wire`). The SDK sends one event as a JSON object, or several as `{ "batch": [...] }`,
 * in a POST body with `Content-Type: text/plain` (no CORS preflight) or `application/json`.
 */

export const WIRE_VERSION = 1;

/** Property values are flat scalars; nested objects are rejected by the collector. */
export type WirePropValue = string | number | boolean | null;
export type WireProps = Record<string, WirePropValue>;

interface WireEventBase {
  /** Site id: the script's `data-site`, defaulting to `location.hostname`. */
  site: string;
  /** Page URL with masked query parameters (hash kept only in hash-routing mode). */
  url: string;
  /** Previous page: `document.referrer` on load, the previous SPA URL on SPA navigations. */
  referrer?: string;
  /** `document.title` read after the router updated it. */
  title?: string;
  /** Client clock, epoch milliseconds. The collector stores its own receive time as well. */
  ts?: number;
  /** Screen width in CSS pixels. Optional and not sent by the browser SDK (the collector reads the user agent). */
  sw?: number;
  /** Custom properties plus the merged values of every entered context. */
  props?: WireProps;
}

export interface WirePageview extends WireEventBase {
  type: "pageview";
  /**
   * The document's first pageview after it loaded (not an SPA navigation, not a bfcache restore): the collector
   * sets these against the pages the injector served, for the Coverage figure.
   */
  first?: boolean;
}

export interface WireCustomEvent extends WireEventBase {
  type: "event";
  /** Event name, e.g. `Outbound Link: Click`, `File Download`, or a `data-track` name. */
  name: string;
}

export interface WireEngagement extends WireEventBase {
  type: "engagement";
  /** Milliseconds the page was visible and focused since the last engagement report. */
  engagedMs: number;
}

export type WireEvent = WirePageview | WireCustomEvent | WireEngagement;
export type WireEventType = WireEvent["type"];

/** Several events in one request (the SDK's queue flush, or a server sending many). */
export interface WireBatch {
  batch: WireEvent[];
}

export type WireBody = WireEvent | WireBatch;

/** Field limits the collector enforces (400 when exceeded) and the SDK truncates to before sending. */
export const WIRE_LIMITS = {
  maxBodyBytes: 64 * 1024,
  maxEventsPerBatch: 100,
  maxSiteLength: 253,
  maxUrlLength: 2048,
  maxTitleLength: 512,
  maxNameLength: 120,
  maxProps: 30,
  maxPropKeyLength: 64,
  maxPropValueLength: 512,
  maxEngagedMs: 24 * 60 * 60 * 1000,
} as const;

/** Event names the SDK's automatic features use. */
export const WIRE_EVENT_NAMES = {
  outbound: "Outbound Link: Click",
  download: "File Download",
} as const;

/**
 * Where the script tag posts when `data-endpoint` is absent: this relative URL resolved against the script's
 * own `src`. The injector's middleware serves the script at `/tracklet/tracklet.<hash>.js` (and
 * `/tracklet/tracklet.js`) and a collector mounted at `/tracklet` ingests at `/tracklet/collect`, so the script
 * finds it without configuration.
 */
export const DEFAULT_ENDPOINT_RELATIVE = "collect";
