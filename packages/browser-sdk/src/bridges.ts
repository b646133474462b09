import { list } from "./config.js";
import type { Feature } from "./core.js";

type Fn = (...args: unknown[]) => unknown;
interface VendorGlobals {
  analytics?: { page?: Fn };
  userale?: { packageCustomLog?: Fn; log?: Fn };
  gtag?: Fn;
}

/**
 * Forwards SPA pageviews to vendors already on the page: `analytics.page()` (Segment, Metarouter), a UserALE
 * custom log, and a gtag `page_view` (only when `gtag` is listed: GA4's enhanced measurement may already
 * count history changes). Vendors send their own initial pageview, so only SPA navigations are forwarded.
 */
export const bridges: Feature = (t) => {
  const b = t._options.bridge;
  const names = b === true ? ["analytics", "userale"] : list(b);
  const spa = t._spa;
  t._spa = (pv) => {
    spa(pv);
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
        t._log(e);
      }
    }
  };
};
