import { bridgeNames, forwardPageview } from "./bridges.js";
import { BRIDGES, ESM, FILTER, FULL } from "./build-flags.js";
import { trackClick } from "./clicks.js";
import { list } from "./config.js";
import { contextStack } from "./contexts.js";
import { engagedTime } from "./engagement.js";
import { HISTORY_EVENT, patchHistory } from "./history.js";
import type { EventOptions, PageviewOptions, Tracker, TrackerOptions } from "./options.js";
import { cleanProps } from "./payload.js";
import { trackingBlocked } from "./privacy.js";
import { page, sendBody } from "./transport.js";
import { pathAllowed, urlTracker } from "./url.js";
import { WIRE_LIMITS, type WireEvent } from "./wire.js";

/** How long a history change waits before the URL is read: the router sets the title meanwhile. */
export const SPA_SETTLE_MS = 100;

/**
 * The one tracker implementation behind `createTracker()` and the script-tag builds: pageviews (initial,
 * deferred while prerendered or hidden, SPA, bfcache), privacy checks, URL masking and transport; with `FULL`
 * also custom events, callbacks, clicks, engagement, bridge-only mode, debug logging, the error guard and the
 * `url`/`referrer`/`props`/`callback` pageview options, and with `BRIDGES`/`FILTER` (and `LINKS` in clicks.ts)
 * also the bridges, include/exclude (and outbound/download clicks); with `ESM` (the
 * library) also contexts, `flush` and
 * `destroy`. It is written as one closure over plain local functions because that is what minifies smallest;
 * the pure parts live in their own modules and are inlined by the bundler.
 */
export const startTracker = (o: TrackerOptions): Tracker => {
  let timer: ReturnType<typeof setTimeout> | 0 | undefined;
  /** Last tracked (masked) page URL; undefined until the first pageview. */
  let last: string | undefined;
  let dead: unknown;
  let inflight: Promise<unknown> | undefined;
  const listeners: Array<[string, (e: Event) => void]> = [];
  const auto = !FULL || o.auto !== false;
  // `"none"` is the full build's bridge-only mode; the core build, without bridges, sends only with an endpoint.
  const endpoint = FULL ? o.endpoint !== "none" && o.endpoint : o.endpoint;
  const site = o.site || location.hostname;
  // The core build skips `list`: without names the list is `[""]` (or `["true"]` for an empty `data-mask`), and
  // no query parameter has an empty name.
  const mask = FULL ? list(o.mask) : `${o.mask || ""}`.split(/[\s,]+/);
  const contexts = ESM && contextStack();
  const bridges = FULL && BRIDGES && bridgeNames(o.bridge);
  const log = (value: unknown) => {
    if (FULL && o.debug) console.log("[tracklet]", value);
  };
  const url = urlTracker(mask, o.hash);
  // Every listener is on the window in the capture phase: it sees the document's events (visibilitychange,
  // clicks, focus) before any page handler can stop them.
  const on = (type: string, listener: (e: Event) => unknown) => {
    addEventListener(type, listener, true);
    if (ESM) listeners.push([type, listener]);
  };

  // Errors stay out of the page (and out of the caller: a bad `url` option or unserialisable props are
  // logged with `debug`, not thrown): `pageview` and `track` catch everything, and `send` throws only on
  // what the caller gave (props JSON cannot encode), so its other callers need no guard.
  const send = (event: WireEvent, p: EventOptions = {}) => {
    if ((ESM && dead) || trackingBlocked(o)) return void (FULL && p.callback?.());
    if (FULL) event.props = cleanProps(contexts ? contexts.merge(p.props) : p.props);
    const body = JSON.stringify(event);
    log(body);
    const sending = endpoint && sendBody(endpoint, body);
    if (FULL) sending ? sending.then(p.callback) : p.callback?.();
    if (ESM) inflight = Promise.all([inflight, sending]);
    return event;
  };

  // Engaged time is reported for the page being left: before every pageview and when the page hides.
  const engaged = FULL && o.engagement !== false ? engagedTime(on) : undefined;
  const leave = () => {
    const ms = engaged?.();
    if (ms && last) send({ type: "engagement", site, url: last, engagedMs: ms });
  };

  // Errors stay out of the page and out of the caller (a bad `url` option, props JSON cannot encode, a download
  // list that is no pattern are logged with `debug`): API calls and clicks are `guarded`. The core build's
  // pageviews take no options and cannot throw, so there they run unwrapped.
  const guarded = <A extends unknown[]>(fn: (...args: A) => unknown): ((...args: A) => unknown) =>
    FULL
      ? (...args) => {
          try {
            fn(...args);
          } catch (e) {
            log(e);
          }
        }
      : fn;

  const pageview = guarded((p?: PageviewOptions, spa?: unknown) => {
    const href = FULL ? url(p?.url) : url();
    // The previous tracked page (itself for a bfcache restore: the page the visitor came back to), else the
    // document's referrer.
    const referrer =
      (FULL ? p?.referrer : undefined) ?? (last || (document.referrer && url(document.referrer)));
    // The document's first pageview (not an SPA navigation, not a bfcache restore): the collector sets these
    // against the pages the injector served.
    const first = !last;
    leave();
    last = href;
    if (!FULL || !FILTER || pathAllowed(new URL(href).pathname, list(o.include), list(o.exclude))) {
      const event = send(
        {
          type: "pageview",
          first,
          site,
          url: href,
          referrer,
          title: document.title.slice(0, WIRE_LIMITS.maxTitleLength),
        },
        p,
      );
      if (FULL && BRIDGES && bridges && spa && event) forwardPageview(bridges, event, log);
    }
  });
  const track = guarded((name: string, p?: EventOptions) =>
    send({ type: "event", site, url: url(), name }, p),
  );

  // One navigation = one pageview: every history signal only schedules a look at the URL, and the look
  // sends a pageview only when the tracked URL differs from the last one.
  const check = () => {
    if (FULL) timer = 0;
    // (The core build's `pageview` takes no arguments.)
    last && url() !== last && (FULL ? pageview({}, 1) : pageview());
  };
  const navigated = () => {
    clearTimeout(timer);
    timer = setTimeout(check, SPA_SETTLE_MS);
  };
  // Hiding (`visibilitychange` to hidden, `pagehide`) settles a pending navigation and reports engaged time,
  // with sendBeacon first until shown again. Showing sends the first pageview of a page loaded hidden
  // (prerender, background tab); a bfcache restore (`pageshow` with `persisted`) is a new view of the same
  // page, so it skips the dedupe.
  const visibility = (e: Event) => {
    page._hidden = e.type === "pagehide" || document.visibilityState !== "visible";
    if (page._hidden) {
      // Only a pending navigation can have changed the URL; in the full build the last URL may also be a
      // manual pageview's `url`, so there it looks only when one is pending.
      (!FULL || timer) && check();
      leave();
    } else if (auto && ((e as PageTransitionEvent).persisted || !last)) pageview();
  };
  for (const type of ["pagehide", "pageshow", "visibilitychange"]) on(type, visibility);
  if (FULL) {
    const click = guarded((e: Event) => trackClick(e as MouseEvent, o, url, track));
    on("click", click);
    on("auxclick", click);
  }
  if (auto) {
    patchHistory();
    // Without hash routing a hash change is heard too, and sends nothing: the tracked URL has no hash.
    for (const type of [HISTORY_EVENT, "popstate", "hashchange"]) on(type, navigated);
    // The initial pageview, unless the page starts hidden.
    visibility({} as Event);
  }

  const tracker = FULL ? { pageview, track } : { pageview };
  return (
    ESM
      ? Object.assign(tracker, contexts, {
          flush: () => Promise.all([inflight]).then(() => {}),
          destroy() {
            clearTimeout(timer);
            for (const [type, listener] of listeners) removeEventListener(type, listener, true);
            dead = 1;
          },
        })
      : tracker
  ) as Tracker;
};
