/** Prefix of the window events the history wrappers dispatch: `tracklet:pushState`, `tracklet:replaceState`. */
export const HISTORY_EVENT_PREFIX = "tracklet:";

/**
 * Wraps `history.pushState`/`replaceState` once per window, so every tracker (and every copy of the script)
 * hears about SPA navigations through window events. Each wrapper calls whatever method was there before,
 * with the same `this` and arguments, and returns its result: libraries patching before or after keep
 * working, and a second call is a no-op. The wrappers are never removed, since a library that patched after
 * us holds a reference to them.
 */
export const patchHistory = (): void => {
  const w = window as unknown as Record<string, unknown>;
  if (w[HISTORY_EVENT_PREFIX]) return;
  w[HISTORY_EVENT_PREFIX] = 1;
  for (const method of ["pushState", "replaceState"] as const) {
    const original = history[method];
    history[method] = function (this: History, ...args: Parameters<History["pushState"]>) {
      const result = original.apply(this, args);
      dispatchEvent(new Event(HISTORY_EVENT_PREFIX + method));
      return result;
    };
  }
};
