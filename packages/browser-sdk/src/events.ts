import type { Feature } from "./core.js";
import type { EventOptions } from "./options.js";

/** Custom events: `track(name, {props, callback})` (and `tracklet(name, …)` on the script tag). */
export const events: Feature = (t) => {
  t.track = t._guard((name: string, p: EventOptions = {}) =>
    t._send("event", t._url(), { name, props: p.props }, p.callback),
  );
};
