import { bridgeNames, forwardPageview } from "./bridges.js";
import { ESM, FULL } from "./build-flags.js";
import { clickEvent } from "./clicks.js";
import { list } from "./config.js";
import { contextStack } from "./contexts.js";
import { engagedTime } from "./engagement.js";
import { HISTORY_EVENT, patchHistory } from "./history.js";
import type { EventOptions, PageviewOptions, Tracker, TrackerOptions } from "./options.js";
import { cleanProps, type EventFields } from "./payload.js";
import { trackingBlocked } from "./privacy.js";
import { sendBody } from "./transport.js";
import { pathAllowed, trackedUrl } from "./url.js";
import { WIRE_LIMITS, type WireEvent, type WireEventType } from "./wire.js";

/** How long a history change waits before the URL is read: the router sets the title meanwhile. */
export const SPA_SETTLE_MS = 100;

/**
 * The one tracker implementation behind `createTracker()` and both script-tag builds: pageviews (initial,
 * deferred while prerendered or hidden, SPA, bfcache), privacy checks, URL masking and transport; with `FULL`
 * also custom events, callbacks, clicks, engagement, bridges, include/exclude, debug logging and the
 * `referrer`/`props`/`callback` pageview options; with `ESM` (the library) also contexts, `flush` and
 * `destroy`. It is written as one closure over plain local functions because that is what minifies smallest;
 * the pure parts live in their own modules and are inlined by the bundler.
 */
export const startTracker = (o: TrackerOptions): Tracker => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** Last tracked (masked) page URL; undefined until the first pageview. */
  let last: string | undefined;
  let lastPath: string | undefined;
  /** Set from hiding (visibilitychange or pagehide) until shown again: sendBeacon first, no beacon copy of a fetch. */
  let hidden: unknown;
  let dead: unknown;
  let inflight: Promise<unknown> | undefined;
  const listeners: Array<[EventTarget, string, (e: Event) => void]> = [];
  const auto = !FULL || o.auto !== false;
  const endpoint = o.endpoint !== "none" && o.endpoint;
  const mask = list(o.mask);
  const contexts = ESM && contextStack();
  const bridges = FULL && bridgeNames(o.bridge);
  const log = (value: unknown) => {
    if (FULL && o.debug) console.log("[tracklet]", value);
  };
  const url = (href = location.href) => trackedUrl(href, mask, o.hash);
  const pathKey = () => location.pathname + (o.hash ? location.hash : "");
  const on = (target: EventTarget, type: string, listener: (e: Event) => unknown) => {
    target.addEventListener(type, listener, true);
    if (ESM) listeners.push([target, type, listener]);
  };

  // Every handler, timer and API call ends in `pageview` or `send`, whose try/catch keeps errors from the page
  // (and from the caller: a bad `url` option or unserialisable props are logged with `debug`, not thrown).
  const send = (type: WireEventType, href: string, fields: EventFields, p: EventOptions = {}) => {
    try {
      if ((ESM && dead) || trackingBlocked(o.automation)) return void (FULL && p.callback?.());
      const event = { type, site: o.site || location.hostname, url: href, ...fields } as WireEvent;
      if (FULL) event.props = cleanProps(contexts ? contexts.merge(p.props) : p.props);
      const body = JSON.stringify(event);
      log(body);
      const sending = endpoint
        ? sendBody(endpoint, body, () => hidden).then(FULL ? p.callback : undefined)
        : FULL && p.callback?.();
      if (ESM) inflight = Promise.all([inflight, sending]);
      return event;
    } catch (e) {
      log(e);
    }
  };

  // Engaged time is reported for the page being left: before every pageview and when the page hides.
  const engaged =
    FULL && o.engagement !== false ? engagedTime((type, fn) => on(window, type, fn)) : undefined;
  const leave = () => {
    const ms = engaged?.();
    if (ms && last) send("engagement", last, { engagedMs: ms });
  };

  const pageview = (p: PageviewOptions = {}, spa?: unknown) => {
    try {
      const href = url(p.url);
      const referrer =
        (FULL ? p.referrer : undefined) ??
        (last && last !== href ? last : document.referrer && url(document.referrer));
      leave();
      last = href;
      lastPath = pathKey();
      if (!FULL || pathAllowed(new URL(href).pathname, list(o.include), list(o.exclude))) {
        const fields = { referrer, title: document.title.slice(0, WIRE_LIMITS.maxTitleLength) };
        const event = send("pageview", href, fields, p);
        if (FULL && bridges && spa && event) forwardPageview(bridges, event, log);
      }
    } catch (e) {
      log(e);
    }
  };
  const track = (name: string, p?: EventOptions) => {
    send("event", url(), { name }, p);
  };

  // One navigation = one pageview: every history signal only schedules a look at the URL, and the look
  // sends a pageview only when the tracked URL differs from the last one.
  const check = () => {
    timer = undefined;
    last && url() !== last && pageview({}, 1);
  };
  const navigated = () => {
    clearTimeout(timer);
    timer = setTimeout(check, SPA_SETTLE_MS);
  };
  // Leaving or hiding the page: settle a pending navigation, then report with sendBeacon first.
  const hide = () => {
    hidden = 1;
    timer && check();
    leave();
  };
  on(window, "pagehide", hide);
  // A bfcache restore is a new view of the same page, so it skips the dedupe.
  on(window, "pageshow", (e) => {
    hidden = 0;
    auto && (e as PageTransitionEvent).persisted && pageview();
  });
  // Prerendered and background tabs are not views yet: the first pageview waits until the page is shown.
  on(document, "visibilitychange", () => {
    if (document.visibilityState !== "visible") return hide();
    hidden = 0;
    auto && !last && pageview();
  });
  if (FULL) {
    const click = (e: Event) => {
      const event = clickEvent(e as MouseEvent, o, url);
      event && track(event[0], { props: event[1] });
    };
    on(document, "click", click);
    on(document, "auxclick", click);
  }
  if (auto) {
    patchHistory();
    // replaceState that keeps the path (query tweaks, scroll state) is not a navigation.
    on(
      window,
      HISTORY_EVENT,
      () =>
        ((window as unknown as Record<string, unknown>)[HISTORY_EVENT] === "pushState" ||
          pathKey() !== lastPath) &&
        navigated(),
    );
    on(window, "popstate", navigated);
    if (o.hash) on(window, "hashchange", navigated);
    document.visibilityState === "visible" && pageview();
  }

  const tracker = FULL ? { pageview, track } : { pageview };
  return (
    ESM
      ? Object.assign(tracker, contexts, {
          flush: () => Promise.all([inflight]).then(() => {}),
          destroy() {
            clearTimeout(timer);
            for (const [target, type, listener] of listeners)
              target.removeEventListener(type, listener, true);
            dead = 1;
          },
        })
      : tracker
  ) as Tracker;
};
