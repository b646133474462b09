import { list } from "./config.js";
import { patchHistory, REPLACE_EVENT } from "./history.js";
import type { PageviewOptions, SendResult, Tracker, TrackerOptions } from "./options.js";
import { buildEvent, cleanProps, type EventFields, serialize } from "./payload.js";
import { trackingBlocked } from "./privacy.js";
import { sendBody } from "./transport.js";
import { trackedUrl } from "./url.js";
import type { WireEvent, WireEventType, WirePageview } from "./wire.js";

/** How long a history change waits before the URL is read: the router sets the title meanwhile. */
export const SPA_SETTLE_MS = 100;

type Callback = (result?: SendResult) => void;

/** The core tracker; the contexts feature adds `enterContext`, `exitContext` and `withContext`. */
export type CoreTracker = Omit<Tracker, "enterContext" | "exitContext" | "withContext"> & Partial<Tracker>;

/** What features (clicks, engagement, bridges, contexts, filters, debug) see of a tracker. */
export interface Internals extends CoreTracker {
  _options: TrackerOptions;
  /** Last tracked page URL (masked); undefined until the first pageview. */
  _last?: string | undefined;
  /** The tracked (masked) form of a URL, the current one by default. */
  _url(href?: string): string;
  /** Wraps `fn` so errors are caught (and logged with `debug`); after `destroy()` it does nothing. */
  _guard<A extends unknown[]>(fn: (...args: A) => unknown): (...args: A) => void;
  /** Guarded capture-phase addEventListener: errors are caught, nothing runs after `destroy()`. */
  _on(target: EventTarget, type: string, fn: (e: Event) => unknown): void;
  /** Builds and sends an event unless tracking is blocked; returns the event when sent. */
  _send(type: WireEventType, url: string, fields: EventFields, callback?: Callback): WireEvent | undefined;
  /** Where caught errors and sent bodies go: nowhere, unless the debug feature sets it. */
  _log(...args: unknown[]): void;
  /** Whether a pageview for this URL is wanted (include/exclude patterns). */
  _allow(url: string): unknown;
  /** Run before every pageview and when the page hides: engagement reports the page being left. */
  _leave(): void;
  /** Run after each SPA pageview: bridges. */
  _spa(event: WirePageview): void;
  /** Adds props to every event: contexts. */
  _props(props?: Record<string, unknown>): Record<string, unknown> | undefined;
}

export type Feature = (tracker: Internals) => void;

/**
 * A browser tracker with the given features. The core alone does pageviews (initial, deferred while
 * prerendered or hidden, SPA, bfcache), privacy checks, URL masking and transport.
 */
export const createCore = (o: TrackerOptions, features: Feature[]): Internals => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastPath: string;
  let dead: unknown;
  let unloading: unknown;
  let inflight: Promise<unknown> = Promise.resolve();
  const auto = o.auto !== false;
  const endpoint = o.endpoint !== "none" && o.endpoint;
  const pathKey = () => location.pathname + (o.hash ? location.hash : "");
  const guard =
    <A extends unknown[]>(fn: (...args: A) => unknown) =>
    (...args: A) => {
      try {
        dead || fn(...args);
      } catch (e) {
        t._log(e);
      }
    };
  const noop = (x?: unknown) => x;
  const on: Internals["_on"] = (target, type, fn) => target.addEventListener(type, guard(fn), true);
  const url = (href = location.href) => trackedUrl(href, list(o.mask), o.hash);

  const send: Internals["_send"] = (type, href, fields, callback) => {
    const done = guard(callback || noop);
    if (trackingBlocked(o.automation)) {
      done();
      return;
    }
    fields.props = cleanProps(t._props(fields.props));
    const event = buildEvent(type, o.site || location.hostname, href, fields);
    const body = serialize(event);
    t._log(body);
    inflight = Promise.all([inflight, endpoint ? sendBody(endpoint, body, unloading).then(done) : done()]);
    return event;
  };

  const pageview = guard((p: PageviewOptions = {}, spa?: unknown) => {
    const href = url(p.url);
    const previous = t._last;
    t._leave();
    t._last = href;
    lastPath = pathKey();
    if (t._allow(href)) {
      const referrer = previous && previous !== href ? previous : document.referrer && url(document.referrer);
      const fields = { referrer: p.referrer ?? referrer, title: document.title, props: p.props };
      const event = send("pageview", href, fields, p.callback);
      spa && event && t._spa(event as WirePageview);
    }
  });

  const t: Internals = {
    _options: o,
    _log: noop,
    _allow: () => 1,
    _leave: noop,
    _spa: noop,
    _props: noop as Internals["_props"],
    _url: url,
    _guard: guard,
    _on: on,
    _send: send,
    pageview,
    track: noop,
    flush: () => inflight.then(() => {}),
    destroy() {
      clearTimeout(timer);
      dead = 1;
    },
  };

  // One navigation = one pageview: every history signal only schedules a look at the URL, and the look
  // sends a pageview only when the tracked URL differs from the last one.
  const check = () => {
    timer = undefined;
    t._last && url() !== t._last && pageview({}, 1);
  };
  // Leaving or hiding the page: settle a pending navigation, then report with sendBeacon first.
  const hidden = () => {
    unloading = 1;
    timer && check();
    t._leave();
    unloading = 0;
  };
  // Prerendered and background tabs are not views yet: the first pageview waits until the page is shown.
  const shown = () => (document.visibilityState === "visible" ? auto && !t._last && pageview() : hidden());

  on(window, "pagehide", hidden);
  on(document, "visibilitychange", shown);
  features.map((feature) => feature(t));
  if (auto) {
    patchHistory();
    for (const type of ["tracklet:pushState", REPLACE_EVENT, "popstate", o.hash ? "hashchange" : ""]) {
      on(window, type, (e) => {
        // replaceState that keeps the path (query tweaks, scroll state) is not a navigation.
        if (e.type !== REPLACE_EVENT || pathKey() !== lastPath) {
          clearTimeout(timer);
          timer = setTimeout(guard(check), SPA_SETTLE_MS);
        }
      });
    }
    // A bfcache restore is a new view of the same page, so it skips the dedupe.
    on(window, "pageshow", (e) => (e as PageTransitionEvent).persisted && pageview());
    document.visibilityState === "visible" && shown();
  }
  return t;
};
