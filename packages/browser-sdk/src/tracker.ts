import { startTracker } from "./core.js";
import type { Tracker, TrackerOptions } from "./options.js";

/** What `createTracker()` gives outside a browser (SSR): every method exists and does nothing. */
const inertTracker = (): Tracker => ({
  pageview() {},
  track(_name, options) {
    options?.callback?.();
  },
  enterContext() {},
  exitContext() {},
  withContext: (_name, _props, fn) => fn(),
  flush: () => Promise.resolve(),
  destroy() {},
});

/**
 * Starts a tracker with every feature: pageviews (initial, SPA, bfcache), custom events, clicks, engagement,
 * bridges and contexts. Safe to call during server rendering: without `window` it returns an inert tracker.
 */
export const createTracker = (options: TrackerOptions = {}): Tracker =>
  typeof window === "undefined" || typeof document === "undefined" ? inertTracker() : startTracker(options);
