import { readScriptOptions } from "./config.js";
import { createCore, type Feature } from "./core.js";
import type { EventOptions, PageviewOptions, Tracker } from "./options.js";

/** `window.tracklet`: `tracklet(name, {props, callback})`, `tracklet("pageview", {url})`, or its methods. */
export type TrackletGlobal = ((name: string, options?: EventOptions & PageviewOptions) => void) &
  Partial<Tracker> & { q?: ArrayLike<unknown>[] };

/**
 * Boots the script-tag build: reads its own `<script data-…>`, installs `window.tracklet` and replays the
 * calls the queue stub collected. A second copy of the script (any build) finds the first and does nothing.
 */
export const installGlobal = (features: Feature[]): void => {
  const w = window as { tracklet?: TrackletGlobal };
  const stub = w.tracklet;
  if (stub?.track) return;
  const t = createCore(readScriptOptions(document.currentScript), features);
  const g: TrackletGlobal = Object.assign(
    (name: string, options?: PageviewOptions) =>
      name === "pageview" ? t.pageview(options) : t.track(name, options),
    t,
  );
  w.tracklet = g;
  for (const args of stub?.q || []) g(...(Array.from(args) as [string]));
};
