import { bridges } from "./bridges.js";
import { clicks } from "./clicks.js";
import { contexts } from "./contexts.js";
import { createCore } from "./core.js";
import { engagement } from "./engagement.js";
import { events } from "./events.js";
import { filters } from "./filters.js";
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
 * Starts a tracker with every feature: pageviews (initial, SPA, bfcache), clicks, engagement, bridges and
 * contexts. Safe to call during server rendering: without `window` it returns an inert tracker.
 */
export const createTracker = (options: TrackerOptions = {}): Tracker =>
  typeof window === "undefined" || typeof document === "undefined"
    ? inertTracker()
    : (createCore(options, [filters, events, contexts, engagement, bridges, clicks]) as Tracker);
