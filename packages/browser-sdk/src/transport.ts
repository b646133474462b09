import { FULL } from "./build-flags.js";
import type { SendResult } from "./options.js";

/**
 * `_hidden`: whether the page is hiding or gone, from `visibilitychange` to hidden or `pagehide` until it is shown
 * again. Page-wide, so one value for every tracker; their visibility handlers set it.
 */
export const page: { _hidden?: unknown } = {};

/**
 * POSTs `body` as a string, which `fetch` and `sendBeacon` both label `text/plain` (a CORS simple request: no
 * preflight): `fetch` with `keepalive` first, and `sendBeacon` when fetch is missing, throws, or rejects while
 * the page is shown; while the page is hidden, `sendBeacon` first. Never throws or rejects; resolves to the
 * outcome (`{status: 0}` for a beacon). The core script build has no callbacks, so there the outcome is
 * whatever the transport gave.
 */
export const sendBody = (endpoint: string, body: string): Promise<SendResult> => {
  const beacon = (): SendResult | undefined => {
    try {
      const queued = navigator.sendBeacon(endpoint, body);
      return (FULL ? queued && { status: 0 } : queued) as SendResult | undefined;
    } catch {
      // Missing (beacon.enabled=false) or refused: the caller falls back or reports the error.
    }
  };
  // The executor runs now (a fetch started during pagehide still goes out); a throw in it is a rejection.
  return new Promise<SendResult>((resolve) => {
    const post = () => fetch(endpoint, { method: "POST", body, keepalive: true });
    resolve(
      ((page._hidden && beacon()) as SendResult) ||
        (FULL ? post().then((r) => ({ status: r.status })) : (post() as never)),
    );
  }).catch(
    // A keepalive fetch rejected because the page went away has usually been delivered: no beacon copy.
    FULL ? (error) => (!page._hidden && beacon()) || { error } : () => (!page._hidden && beacon()) as never,
  );
};
