// biome-ignore lint/suspicious/noExplicitAny: wraps arbitrary response methods
type AnyFunction = (this: any, ...args: any[]) => any;

/** Calls whatever currently sits below the outermost wrapper. */
export type CallBelow = (thisArg: unknown, args: unknown[]) => unknown;

/**
 * Installs `make(callBelow)` as `target[name]` and keeps it the outermost wrapper even when middleware mounted
 * later wraps the same method. Such wrappers read the method, then assign their own (compression, on-headers,
 * express-session all do); every read hands out its own proxy, and an assignment splices the new wrapper in
 * below ours, with the proxy it read leading to what was below before. Their relative order is kept.
 *
 * This is what lets the injector see the app's HTML even when `compression()` is mounted after it.
 */
export function installOutermost(
  target: object,
  name: string,
  make: (callBelow: CallBelow) => AnyFunction,
): void {
  const record = target as Record<string, AnyFunction>;
  let below: AnyFunction = record[name] as AnyFunction;
  const outer = make((thisArg, args) => below.apply(thisArg, args));
  let lastRead: { below: AnyFunction | null } | undefined;
  Object.defineProperty(target, name, {
    configurable: true,
    enumerable: true,
    get() {
      const slot: { below: AnyFunction | null } = { below: null };
      lastRead = slot;
      return function proxy(this: unknown, ...args: unknown[]) {
        return (slot.below ?? outer).apply(this, args);
      };
    },
    set(value: AnyFunction) {
      if (lastRead) lastRead.below = below;
      lastRead = undefined;
      below = value;
    },
  });
}
