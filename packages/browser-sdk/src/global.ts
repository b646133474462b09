import { FULL } from "./build-flags.js";
import { readScriptOptions } from "./config.js";
import { startTracker } from "./core.js";
import type { EventOptions, PageviewOptions, Tracker } from "./options.js";

/**
 * `window.tracklet` of the full build: `tracklet(name, {props, callback})`, `tracklet("pageview", {url,
 * referrer, props, callback})`, and the methods `pageview` and `track`.
 */
export type TrackletGlobal = ((name: string, options?: EventOptions & PageviewOptions) => void) &
  Partial<Tracker> & { q?: Iterable<unknown>[] };

/**
 * Boots a script-tag build: reads its own `<script data-…>`, installs `window.tracklet` and replays the
 * calls the queue stub collected. A second copy of the script (any build) finds the first and does nothing.
 * The core build has no queue and no custom events: its `window.tracklet` is `{ pageview() }` (the current
 * page, no options), and it replaces a queue stub without replaying it.
 */
export const installGlobal = (): void => {
  const w = window as { tracklet?: TrackletGlobal | Partial<Tracker> };
  const stub = w.tracklet;
  if (stub?.pageview) return;
  const t = startTracker(readScriptOptions(document.currentScript));
  if (!FULL) {
    w.tracklet = t;
    return;
  }
  const g: TrackletGlobal = Object.assign(
    (name: string, options?: PageviewOptions) =>
      name === "pageview" ? t.pageview(options) : t.track(name, options),
    t,
  );
  w.tracklet = g;
  for (const args of (stub as TrackletGlobal | undefined)?.q || []) g(...(args as [string]));
};
