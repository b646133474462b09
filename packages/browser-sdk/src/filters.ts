import { list } from "./config.js";
import type { Feature } from "./core.js";
import { pathAllowed } from "./url.js";

/** `include`/`exclude` path patterns for pageviews, and `debug` logging to the console. */
export const filters: Feature = (t) => {
  const o = t._options;
  t._allow = (href) => pathAllowed(new URL(href).pathname, list(o.include), list(o.exclude));
  if (o.debug) t._log = (...args) => console.log("[tracklet]", ...args);
};
