// biome-ignore lint/suspicious/noExplicitAny: wraps arbitrary response methods
export type AnyMethod = (this: any, ...args: any[]) => any;

/** The response methods kept outermost. */
export type OutermostName = "writeHead" | "write" | "end";
const NAMES: readonly OutermostName[] = ["writeHead", "write", "end"];

/** A response's wrappers: each gets the arguments of the call (and `send` the method it overrides). */
export interface ResponseWrappers {
  writeHead(args: unknown[]): unknown;
  write(args: unknown[]): unknown;
  end(args: unknown[]): unknown;
  send(inherited: AnyMethod, args: unknown[]): unknown;
  /** True once the wrappers have nothing left to do: reads then hand out what sits below, unwrapped. */
  readonly passThrough: boolean;
}

/** Calls what sits below a response's wrapper of a method. */
export interface MethodsBelow {
  callBelow(name: OutermostName, args: unknown[]): unknown;
}

/** What one read of a method handed out: once the reader assigns its own wrapper, the read leads below. */
interface Read {
  below: AnyMethod | undefined;
}

/** One response's wrappers, and per method what sits below the wrapper. */
class Kept implements MethodsBelow {
  /**
   * Set for a method assigned since (or that was the response's own): else what sits below is what `home`'s
   * prototype has. Made on first use, like `lastRead`: most responses never need them.
   */
  private below: Partial<Record<OutermostName, AnyMethod>> | undefined;
  private lastRead: Partial<Record<OutermostName, Read | undefined>> | undefined;

  constructor(
    readonly wrappers: ResponseWrappers,
    private readonly res: object,
    /** The prototype carrying the accessors, or null when they are the response's own. */
    private readonly home: object | null,
    own: Partial<Record<OutermostName, AnyMethod>> | undefined,
  ) {
    this.below = own;
  }

  methodBelow(name: OutermostName): AnyMethod {
    return this.below?.[name] ?? (Reflect.get(parentOf(this.home), name, this.res) as AnyMethod);
  }

  /** Calls what sits below this response's wrapper of `name`. */
  callBelow(name: OutermostName, args: unknown[]): unknown {
    return this.methodBelow(name).apply(this.res, args);
  }

  /** A read: its own function, so an assignment right after it can be put below ours. */
  read(name: OutermostName): AnyMethod {
    if (this.wrappers.passThrough) return this.methodBelow(name);
    const read: Read = { below: undefined };
    this.lastRead ??= {};
    this.lastRead[name] = read;
    const wrappers = this.wrappers;
    return function outermost(this: unknown, ...args: unknown[]) {
      return read.below === undefined ? wrappers[name](args) : read.below.apply(this, args);
    };
  }

  /** An assignment: the new wrapper goes below ours, and the function it read leads to what was below before. */
  assign(name: OutermostName, value: AnyMethod): void {
    reassigned.set(this.res, this);
    const read = this.lastRead?.[name];
    if (read !== undefined) {
      read.below = this.methodBelow(name);
      (this.lastRead as Record<OutermostName, Read | undefined>)[name] = undefined;
    }
    this.below ??= {};
    this.below[name] = value;
  }
}

function parentOf(home: object | null): object {
  return (home === null ? null : Object.getPrototypeOf(home)) as object;
}

/**
 * Where a response's wrappers are kept: a symbol-keyed property of its `res.locals` (created when missing).
 * Express re-prototypes every response, so no two responses share a hidden class and each property added to a
 * response copies its own; `res.locals` is a dictionary, where a property costs a hash-table entry
 * (docs/architecture.md). An app that replaces `res.locals` with a new object (a copy keeps the symbol) sends
 * its page without the snippet; wrappers assigned below ours are kept in `reassigned`.
 */
const KEPT = Symbol("tracklet.keptWrappers");
type Holder = { [KEPT]?: Kept };
type WithLocals = { locals?: Holder | null };

/** The wrappers kept in a response's `res.locals`, if any. */
export function wrappersIn(locals: object): ResponseWrappers | undefined {
  return (locals as Holder)[KEPT]?.wrappers;
}

/**
 * Responses that got a wrapper assigned below ours, also kept here: those wrappers live only in their `Kept`, and an
 * app that replaces `res.locals` must not make the response skip them (compression mounted after ours).
 */
const reassigned = new WeakMap<object, Kept>();

function keptOf(res: object): Kept | undefined {
  return (res as WithLocals).locals?.[KEPT] ?? reassigned.get(res);
}

/** Accessors of `name` for the objects under `home` (a prototype), or for one response (`home` null). */
function accessor(name: OutermostName, home: object | null): PropertyDescriptor {
  return {
    configurable: true,
    enumerable: home === null,
    get(this: object) {
      const mine = keptOf(this);
      if (mine !== undefined) return mine.read(name);
      return home === null ? undefined : Reflect.get(parentOf(home), name, this);
    },
    set(this: object, value: AnyMethod) {
      const mine = keptOf(this);
      if (mine !== undefined) mine.assign(name, value);
      else Object.defineProperty(this, name, { value, writable: true, enumerable: true, configurable: true });
    },
  };
}

/** express's `res.send` on `home`, running `send` of the responses being wrapped. */
function sendMethod(home: object): AnyMethod {
  return function send(this: object, ...args: unknown[]) {
    const inherited = Reflect.get(parentOf(home), "send", this) as AnyMethod;
    const mine = keptOf(this);
    return mine === undefined ? inherited.apply(this, args) : mine.wrappers.send(inherited, args);
  };
}

/** Prototype → whether it carries the accessors. */
const homes = new WeakMap<object, boolean>();

/**
 * The prototype that carries the accessors for `res`, set up the first time, or null when they must be the
 * response's own: its prototype is a class's (Node's `ServerResponse.prototype`, never changed) or has the methods
 * as its own.
 */
function homeOf(res: object): object | null {
  const proto = Object.getPrototypeOf(res) as object | null;
  if (proto === null) return null;
  const known = homes.get(proto);
  if (known !== undefined) return known ? proto : null;
  const fit =
    !Object.hasOwn(proto, "constructor") &&
    Object.isExtensible(proto) &&
    ![...NAMES, "send"].some((name) => Object.hasOwn(proto, name));
  homes.set(proto, fit);
  if (!fit) return null;
  for (const name of NAMES) Object.defineProperty(proto, name, accessor(name, proto));
  if (typeof Reflect.get(proto, "send") === "function") {
    Object.defineProperty(proto, "send", { configurable: true, writable: true, value: sendMethod(proto) });
  }
  return proto;
}

/** True once `res` is wrapped. */
export function isWrapped(res: object): boolean {
  return keptOf(res) !== undefined;
}

/**
 * Makes `wrappers` the outermost `writeHead`, `write` and `end` of `res` (and wraps express's `res.send`), even
 * when middleware mounted later reads a method and assigns its own wrapper (compression, on-headers and
 * express-session all do). Such a wrapper goes below ours: the function it read leads to what was below before,
 * so wrappers keep their relative order. This is what lets `compression()` mounted after `analytics()` see HTML.
 *
 * Under express the accessors are defined once on the app's response prototype rather than on each response:
 * a property added to a response express has re-prototyped gives it a hidden class of its own, which measured
 * about 30 µs a response (docs/architecture.md). Returns what calls the methods below the wrappers.
 */
export function keepOutermost(res: object, wrappers: ResponseWrappers): MethodsBelow {
  const protoHome = homeOf(res);
  // Wrappers assigned before ours (compression mounted first) are the response's own: ours go over them.
  const home = protoHome !== null && !hasOwnMethod(res) ? protoHome : null;
  let own: Partial<Record<OutermostName, AnyMethod>> | undefined;
  if (home === null) {
    own = {};
    for (const name of NAMES) own[name] = Reflect.get(res, name) as AnyMethod;
  }
  const mine = new Kept(wrappers, res, home, own);
  let locals = (res as WithLocals).locals;
  if (locals === undefined || locals === null) {
    locals = {};
    (res as WithLocals).locals = locals;
  }
  locals[KEPT] = mine;
  if (home === null) {
    for (const name of NAMES) Object.defineProperty(res, name, accessor(name, null));
    const send = Reflect.get(res, "send");
    // A prototype set up here runs `send` already.
    if (protoHome === null && typeof send === "function") {
      Reflect.set(res, "send", (...args: unknown[]) => wrappers.send(send as AnyMethod, args));
    }
  }
  return mine;
}

function hasOwnMethod(res: object): boolean {
  for (const name of NAMES) if (Object.hasOwn(res, name)) return true;
  return false;
}
