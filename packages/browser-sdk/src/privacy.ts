/**
 * Whether this browser asked not to be tracked: the opt-out flag (`localStorage.tracklet_ignore = "true"`),
 * Global Privacy Control, Do Not Track (`1`, or `yes` in old Firefox), or automation (`navigator.webdriver`)
 * unless `automation` is allowed.
 */
export const trackingBlocked = (automation?: unknown): boolean => {
  const nav = navigator as Navigator & { globalPrivacyControl?: boolean };
  try {
    if (localStorage.tracklet_ignore === "true") return true;
  } catch {
    // Storage can throw (blocked storage, sandboxed frames); that is not an opt-out.
  }
  return !!(
    nav.globalPrivacyControl ||
    /1|yes/.test(nav.doNotTrack as string) ||
    (nav.webdriver && !automation)
  );
};
