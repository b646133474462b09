import type { Feature } from "./core.js";
import { WIRE_LIMITS } from "./wire.js";

/**
 * Engaged time: counts only while the page is visible and focused, and is reported for the page being left
 * when the route changes or the page hides.
 */
export const engagement: Feature = (t) => {
  if (t._options.engagement === false) return;
  let total = 0;
  let since = 0;
  const update = () => {
    const now = Date.now();
    total += since && now - since;
    since = document.visibilityState === "visible" && document.hasFocus() ? now : 0;
  };
  const leave = t._leave;
  update();
  for (const type of ["focus", "blur", "visibilitychange"]) t._on(window, type, update);
  t._leave = () => {
    leave();
    update();
    if (t._last && total > 0)
      t._send("engagement", t._last, { engagedMs: Math.min(total, WIRE_LIMITS.maxEngagedMs) });
    total = 0;
  };
};
