import { list } from "./config.js";
import type { TrackerOptions } from "./options.js";
import type { WireEvent } from "./wire.js";

type Fn = (...args: unknown[]) => unknown;
interface VendorGlobals {
  analytics?: { page?: Fn };
  userale?: { packageCustomLog?: Fn; log?: Fn };
  gtag?: Fn;
}

/** The vendors the `bridge` option names: `true` = `analytics` and `userale`; `gtag` only when listed. */
export const bridgeNames = (bridge: TrackerOptions["bridge"]): string[] =>
  bridge === true ? ["analytics", "userale"] : list(bridge);

/**
 * Forwards an SPA pageview to vendors already on the page: `analytics.page()` (Segment, MetaRouter), a
 * UserALE custom log, and a gtag `page_view` (only when `gtag` is listed: GA4's enhanced measurement may
 * already count history changes). Vendors send their own initial pageview, so only SPA navigations come here.
 * A vendor that throws does not keep the others from hearing about the pageview; its error goes to `onError`.
 */
export const forwardPageview = (names: string[], pv: WireEvent, onError: (e: unknown) => void): void => {
  const w = window as VendorGlobals;
  for (const name of names) {
    try {
      if (name === "gtag") {
        w.gtag?.("event", "page_view", {
          page_location: pv.url,
          page_referrer: pv.referrer,
          page_title: pv.title,
        });
      } else if (name === "userale") {
        const log = { type: "pageview", pageUrl: pv.url, pageReferrer: pv.referrer, pageTitle: pv.title };
        const u = w.userale;
        u?.packageCustomLog
          ? u.packageCustomLog(log, () => null, false)
          : u?.log?.({ ...log, logType: "custom", clientTime: Date.now() });
      } else w.analytics?.page?.();
    } catch (e) {
      onError(e);
    }
  }
};
