/** The opt-out flag. Storage can throw (blocked storage, sandboxed frames); that is not an opt-out. */
const optedOut = (): unknown => {
  try {
    return localStorage.tracklet_ignore === "true";
  } catch {}
};

/**
 * Whether this browser asked not to be tracked: Global Privacy Control, Do Not Track (`1`; the `yes` of Firefox
 * before 32 never runs this ES2020 code), automation (`navigator.webdriver`) unless the `automation` option
 * allows it, or the opt-out flag (`localStorage.tracklet_ignore = "true"`). Truthy when blocked.
 */
export const trackingBlocked = (o: { automation?: unknown }): unknown =>
  (navigator as Navigator & { globalPrivacyControl?: boolean }).globalPrivacyControl ||
  navigator.doNotTrack === "1" ||
  (navigator.webdriver && !o.automation) ||
  optedOut();
