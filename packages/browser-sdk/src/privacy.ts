/**
 * Whether this browser asked not to be tracked: Global Privacy Control, Do Not Track (`1`, or `yes` in old
 * Firefox), automation (`navigator.webdriver`) unless `automation` is allowed, or the opt-out flag
 * (`localStorage.tracklet_ignore = "true"`). Truthy when blocked.
 */
export const trackingBlocked = (automation?: unknown): unknown => {
  const nav = navigator as Navigator & { globalPrivacyControl?: boolean };
  if (nav.globalPrivacyControl || /1|yes/.test(nav.doNotTrack as string) || (nav.webdriver && !automation))
    return 1;
  try {
    return localStorage.tracklet_ignore === "true";
  } catch {
    // Storage can throw (blocked storage, sandboxed frames); that is not an opt-out.
  }
};
