import type { SendResult } from "./options.js";

/**
 * POSTs `body` as a string, which `fetch` and `sendBeacon` both label `text/plain` (a CORS simple request: no
 * preflight): `fetch` with `keepalive` first, and `sendBeacon` when fetch is missing, throws, or rejects before
 * the page went away; while `leaving()` says the page is hiding or gone, `sendBeacon` first. Never throws; `done` gets the outcome (`{status: 0}` for a beacon). Returns
 * the pending fetch, if any.
 */
export const sendBody = (
  endpoint: string,
  body: string,
  leaving?: () => unknown,
  done?: (result: SendResult) => void,
): Promise<void> | void => {
  const beacon = () => {
    try {
      return navigator.sendBeacon(endpoint, body);
    } catch {
      // Missing (beacon.enabled=false) or refused: the caller falls back or reports the error.
    }
  };
  const fallback = (error: unknown) => {
    const sent = beacon();
    done?.(sent ? { status: 0 } : { error });
  };
  if (leaving?.() && beacon()) return done?.({ status: 0 });
  try {
    return fetch(endpoint, { method: "POST", body, keepalive: true }).then(
      (r) => done?.({ status: r.status }),
      // A keepalive fetch rejected because the page went away has usually been delivered: no beacon copy.
      (error) => (leaving?.() ? done?.({ error }) : fallback(error)),
    );
  } catch (error) {
    fallback(error);
  }
};
