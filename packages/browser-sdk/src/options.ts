import type { WireProps } from "./wire.js";

/** Vendors whose SPA pageviews can be forwarded. `analytics` covers Segment and MetaRouter (`window.analytics`). */
export type BridgeName = "analytics" | "userale" | "gtag";

/** A list option: an array, or one string of comma- or space-separated items (as in a `data-*` attribute). */
export type ListOption = string | string[];

/**
 * Everything a tracker can be told. The names are those of the script tag's `data-*` attributes
 * (`data-hash` ↔ `hash`), so both ways of configuring read the same.
 */
export interface TrackerOptions {
  /** Collector URL events are POSTed to. Absent, empty or `"none"`: bridge-only mode, nothing is sent. */
  endpoint?: string;
  /** Site id sent with every event; defaults to `location.hostname`. */
  site?: string;
  /** Hash routing: the `#…` part is part of the page URL and hash changes are navigations. */
  hash?: boolean;
  /** Track clicks on links to another host as `Outbound Link: Click`. */
  outbound?: boolean;
  /** Track file downloads as `File Download`: `true` for the default extensions, or the extensions to match. */
  downloads?: boolean | ListOption;
  /** Track clicks on elements carrying `data-track` (default `true`). */
  tagged?: boolean;
  /** Only pageviews whose path matches one of these patterns (`*` matches anything, `/` included). */
  include?: ListOption;
  /** No pageviews for paths matching any of these patterns. */
  exclude?: ListOption;
  /** Forward SPA pageviews to vendors on the page: `true` = `analytics` and `userale`; `gtag` only when listed. */
  bridge?: boolean | ListOption;
  /** Query parameter names masked in addition to the built-in ones (token, email, password, key, …). */
  mask?: ListOption;
  /** Log what is sent, what is ignored and why, and every caught error, to the console. */
  debug?: boolean;
  /** Send the initial pageview and SPA pageviews automatically (default `true`; `false` = manual). */
  auto?: boolean;
  /** Report engaged time (visible and focused) when the page hides or the route changes (default `true`). */
  engagement?: boolean;
  /** Track browsers driven by automation (`navigator.webdriver`), which are ignored by default. */
  automation?: boolean;
}

/** What a send reports to a callback: an HTTP status (0 = handed to `sendBeacon`), or the error. */
export type SendResult = { status: number } | { error: unknown };

export interface EventOptions {
  props?: WireProps;
  /** Called once the event was sent (`{status}`), failed (`{error}`) or was not sent (no argument). */
  callback?: (result?: SendResult) => void;
}

export interface PageviewOptions extends EventOptions {
  /** Page URL to report instead of `location.href` (masked all the same). */
  url?: string;
  /** Referrer to report instead of the previous page. */
  referrer?: string;
}

/** The tracker `createTracker()` returns (with the script tag: `window.tracklet.*`). */
export interface Tracker {
  /** Sends a pageview for the current URL (or `options.url`). */
  pageview(options?: PageviewOptions): void;
  /** Sends a custom event. */
  track(name: string, options?: EventOptions): void;
  /** Pushes a named context whose props are merged into every event until `exitContext(name)`. */
  enterContext(name: string, props: WireProps): void;
  /** Removes the innermost context with this name. */
  exitContext(name: string): void;
  /** Runs `fn` inside a context; the context is left when `fn` returns, throws, or its promise settles. */
  withContext<T>(name: string, props: WireProps, fn: () => T): T;
  /** Sends everything queued now; resolves when the requests finished. */
  flush(): Promise<void>;
  /** Sends what is queued, then removes every listener and timer. */
  destroy(): void;
}
