import type { SendResult } from "./options.js";

/**
 * POSTs `body` as `text/plain` (a CORS simple request: no preflight): `fetch` with `keepalive` first, and
 * `sendBeacon` when fetch is missing, throws or rejects; on page unload `sendBeacon` first. Never throws.
 */
export const sendBody = (endpoint: string, body: string, unloading?: unknown): Promise<SendResult> => {
  const beacon = (): SendResult | false | undefined => {
    try {
      return navigator.sendBeacon(endpoint, body) && { status: 0 };
    } catch {
      // Missing (beacon.enabled=false) or refused: the caller falls back or reports the error.
    }
  };
  const sent = unloading && beacon();
  return sent
    ? Promise.resolve(sent as SendResult)
    : Promise.resolve()
        .then(() =>
          fetch(endpoint, {
            method: "POST",
            body,
            keepalive: true,
            headers: { "Content-Type": "text/plain" },
          }),
        )
        .then(
          (r): SendResult => ({ status: r.status }),
          (error): SendResult => beacon() || { error },
        );
};
