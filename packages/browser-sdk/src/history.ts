/**
 * The window event the history wrappers dispatch after a `pushState`, and after a `replaceState` that changed
 * the path or the hash: one that rewrites only the query or the state (filters, scroll position) is not a
 * navigation.
 */
export const HISTORY_EVENT = "tracklet:history";

/**
 * Wraps `history.pushState`/`replaceState` once per window, so every tracker (and every copy of the script)
 * hears about SPA navigations through one window event. Each wrapper calls whatever method was there before,
 * with the same `this` and arguments, and returns its result: libraries patching before or after keep
 * working, and a second call is a no-op. The wrappers are never removed, since a library that patched after
 * us holds a reference to them.
 */
export const patchHistory = (): void => {
  const w = window as unknown as Record<string, unknown>;
  const path = () => location.pathname + location.hash;
  if (w[HISTORY_EVENT]) return;
  w[HISTORY_EVENT] = 1;
  for (const method of ["pushState", "replaceState"] as const) {
    const original = history[method];
    history[method] = function (this: History) {
      const before = path();
      // `arguments` rather than a rest parameter: it passes exactly what the caller gave, in fewer bytes.
      // biome-ignore lint/complexity/noArguments: see above
      const result = original.apply(this, arguments as unknown as Parameters<History["pushState"]>);
      if (method === "pushState" || path() !== before) dispatchEvent(new Event(HISTORY_EVENT));
      return result;
    };
  }
};
