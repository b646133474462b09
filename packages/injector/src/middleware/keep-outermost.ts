// biome-ignore lint/suspicious/noExplicitAny: wraps arbitrary response methods
export type AnyMethod = (this: any, ...args: any[]) => any;

/** What one read of the method handed out: once the reader assigns its own wrapper, the read leads below. */
interface Read {
  below: AnyMethod | undefined;
}

/**
 * Makes `wrapper` the outermost `target[name]` for the life of `target`, even when middleware mounted later reads
 * the method and assigns its own wrapper (compression, on-headers and express-session all do). Such a wrapper
 * goes below ours: the method it read leads to what was below before, so the wrappers keep their relative order.
 * This is what lets `compression()` run after `analytics()` and still see the injected HTML rather than hand the
 * injector gzip bytes.
 *
 * Returns a function that calls what currently sits below the wrapper.
 */
export function keepOutermost(
  target: object,
  name: string,
  wrapper: (this: unknown, ...args: unknown[]) => unknown,
): AnyMethod {
  let below = Reflect.get(target, name) as AnyMethod;
  let lastRead: Read | undefined;
  Object.defineProperty(target, name, {
    configurable: true,
    enumerable: true,
    get() {
      const read: Read = { below: undefined };
      lastRead = read;
      return function outermost(this: unknown, ...args: unknown[]) {
        return read.below === undefined ? wrapper.apply(this, args) : read.below.apply(this, args);
      };
    },
    set(value: AnyMethod) {
      if (lastRead !== undefined) lastRead.below = below;
      lastRead = undefined;
      below = value;
    },
  });
  return function callBelow(this: unknown, ...args: unknown[]) {
    return below.apply(this, args);
  };
}
