import { WIRE_LIMITS } from "./wire.js";

/**
 * Engaged time: a clock that runs only while the page is visible and focused. `listen` subscribes to the
 * window events that start or stop it; the returned function gives the milliseconds engaged since its last
 * call (capped at `WIRE_LIMITS.maxEngagedMs`) and restarts the count.
 */
export const engagedTime = (listen: (type: string, fn: () => void) => void): (() => number) => {
  let total = 0;
  let since = 0;
  const update = () => {
    const now = Date.now();
    total += since && now - since;
    since = document.visibilityState === "visible" && document.hasFocus() ? now : 0;
  };
  update();
  for (const type of ["focus", "blur", "visibilitychange"]) listen(type, update);
  return () => {
    update();
    const ms = Math.min(total, WIRE_LIMITS.maxEngagedMs);
    total = 0;
    return ms;
  };
};
