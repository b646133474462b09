import { FULL } from "./build-flags.js";
import { readScriptOptions } from "./config.js";
import { startTracker } from "./core.js";
import type { EventOptions, PageviewOptions, Tracker } from "./options.js";

/**
 * `window.tracklet`: `tracklet(name, {props, callback})`, `tracklet("pageview", {url, referrer, props,
 * callback})`, and the methods `pageview` and `track` (the core build: `pageview` with `url` only).
 */
export type TrackletGlobal = ((name: string, options?: EventOptions & PageviewOptions) => void) &
  Partial<Tracker> & { q?: ArrayLike<unknown>[] };

/**
 * Boots a script-tag build: reads its own `<script data-…>`, installs `window.tracklet` and replays the
 * calls the queue stub collected. A second copy of the script (any build) finds the first and does nothing.
 * The core build only knows `tracklet("pageview", …)`; other calls are ignored.
 */
export const installGlobal = (): void => {
  const w = window as { tracklet?: TrackletGlobal };
  const stub = w.tracklet;
  if (stub?.pageview) return;
  const t = startTracker(readScriptOptions(document.currentScript));
  const g: TrackletGlobal = Object.assign(
    (name: string, options?: PageviewOptions) =>
      name === "pageview" ? t.pageview(options) : FULL && t.track(name, options),
    t,
  );
  w.tracklet = g;
  for (const args of stub?.q || []) g.apply(0, args as [string]);
};
