import type { SendResult } from "./options.js";

/**
 * POSTs `body` as a string, which `fetch` and `sendBeacon` both label `text/plain` (a CORS simple request: no
 * preflight): `fetch` with `keepalive` first, and `sendBeacon` when fetch is missing, throws, or rejects while
 * the page is shown; while `hidden()` says the page is hiding or gone, `sendBeacon` first. Never throws or
 * rejects; resolves to the outcome (`{status: 0}` for a beacon).
 */
export const sendBody = (endpoint: string, body: string, hidden: () => unknown): Promise<SendResult> => {
  const beacon = (): SendResult | false | undefined => {
    try {
      return navigator.sendBeacon(endpoint, body) && { status: 0 };
    } catch {
      // Missing (beacon.enabled=false) or refused: the caller falls back or reports the error.
    }
  };
  // The executor runs now (a fetch started during pagehide still goes out); a throw in it is a rejection.
  return new Promise<SendResult>(
    (resolve) =>
      resolve(
        (!!hidden() && beacon()) ||
          fetch(endpoint, { method: "POST", body, keepalive: true }).then((r) => ({ status: r.status })),
      ),
    // A keepalive fetch rejected because the page went away has usually been delivered: no beacon copy.
  ).catch((error) => (!hidden() && beacon()) || { error });
};
