// biome-ignore lint/suspicious/noExplicitAny: wraps arbitrary response methods
type AnyFunction = (this: any, ...args: any[]) => any;

/** An outer wrapper: runs first, with the object's installation, and calls what sits below with {@link Wrapped.callBelow}. */
export type Outer<W extends Wrapped> = (wrapped: W, self: unknown, args: unknown[]) => unknown;

/** What one read of a method handed out; an assignment right after it redirects it to what was below. */
interface Slot {
  below: AnyFunction | null;
}

/**
 * Methods kept outermost on the objects they are installed on, even when middleware mounted later reads and
 * reassigns them (`res.write`, `res.end`, `res.writeHead`), each with its outer wrapper.
 */
export interface OutermostFamily<W extends Wrapped> {
  readonly accessors: readonly string[];
  readonly accessorOuters: readonly Outer<W>[];
  /**
   * Asked when accessor `i` is read: true when the object needs its wrappers no more (say, a response whose
   * Content-Type is settled and not HTML). From then on reads hand out what sits below: no proxy, no wrapper call.
   */
  readonly settled?: (wrapped: W, i: number) => boolean;
  /**
   * Methods that are only called, never reassigned per object (express's `res.send`): a plain function on the
   * shared prototype, `(wrapped, self, args, inherited)`, where `inherited` is the method it overrides.
   */
  readonly methods?: Readonly<Record<string, MethodOuter<W>>>;
}

export type MethodOuter<W extends Wrapped> = (
  wrapped: W,
  self: unknown,
  args: unknown[],
  inherited: AnyFunction,
) => unknown;

/**
 * One object's installation, and the base of the state its wrappers keep (one object per response: installing
 * costs no allocation of its own). Per accessor it knows what sits below the outermost wrapper.
 */
export class Wrapped {
  // biome-ignore lint/suspicious/noExplicitAny: the family of the subclass that was installed
  family: OutermostFamily<any> | null = null;
  /** The prototype whose accessors serve this object, or the object itself when it has own accessors. */
  home: object | null = null;
  /** Once true, reads hand out what sits below: the object is left alone from then on. */
  transparent = false;
  private target: object | null = null;
  /** Where inherited methods come from: `below[i]` undefined (or no `below` at all) means "what `parent` has". */
  private parent: object | null = null;
  private below: (AnyFunction | undefined)[] | null = null;
  private lastRead: (Slot | undefined)[] | null = null;

  /** Called by the installer. */
  attach(
    target: object,
    // biome-ignore lint/suspicious/noExplicitAny: see `family`
    family: OutermostFamily<any>,
    home: object,
    parent: object | null,
    below: (AnyFunction | undefined)[] | null,
  ): void {
    this.target = target;
    this.family = family;
    this.home = home;
    this.parent = parent;
    this.below = below;
  }

  private belowOf(i: number): AnyFunction {
    const below = this.below?.[i];
    if (below !== undefined) return below;
    const family = this.family as OutermostFamily<Wrapped>;
    return Reflect.get(this.parent as object, family.accessors[i] as string, this.target) as AnyFunction;
  }

  callBelow(i: number, self: unknown, args: unknown[]): unknown {
    return this.belowOf(i).apply(self, args);
  }

  /** A read: its own proxy, so an assignment right after it can be spliced in below. */
  read(i: number): AnyFunction {
    const family = this.family as OutermostFamily<Wrapped>;
    if (!this.transparent && family.settled?.(this, i)) this.transparent = true;
    if (this.transparent) return this.belowOf(i);
    const slot: Slot = { below: null };
    this.lastRead ??= new Array(family.accessors.length);
    this.lastRead[i] = slot;
    const outer = family.accessorOuters[i] as Outer<Wrapped>;
    const wrapped = this;
    return function proxy(this: unknown, ...args: unknown[]) {
      const below = slot.below;
      return below === null ? outer(wrapped, this, args) : below.apply(this, args);
    };
  }

  /** An assignment: the new wrapper goes below, and the proxy it read leads to what was below before. */
  write(i: number, value: AnyFunction): void {
    reassigned.set(this.target as object, this);
    const slot = this.lastRead?.[i];
    if (slot !== undefined) slot.below = this.belowOf(i);
    if (this.lastRead) this.lastRead[i] = undefined;
    this.below ??= new Array((this.family as OutermostFamily<Wrapped>).accessors.length);
    this.below[i] = value;
  }
}

/** Where an installation is kept: a symbol on the object's `locals` (express's `res.locals`), shared by every copy
 * of this package in the process, so a response is wrapped once however many copies of the middleware it meets. */
const KEY = Symbol.for("tracklet.injector.outermost");

/**
 * Objects whose wrappers were assigned below ours. Kept also here because the assigned wrappers live only in
 * their installation: an app replacing `res.locals` must not make a response skip compression.
 */
const registry = globalThis as Record<symbol, WeakMap<object, Wrapped> | undefined>;
registry[KEY] ??= new WeakMap();
const reassigned = registry[KEY];

type WithLocals = { locals?: Record<symbol, unknown> | null };

function installationOf(target: object): Wrapped | undefined {
  const found = (target as WithLocals).locals?.[KEY] as Wrapped | undefined;
  return found ?? reassigned.get(target);
}

/** The installation kept in `locals` (a response's `res.locals`), if any. */
export function installationIn(locals: object): Wrapped | undefined {
  return (locals as Record<symbol, Wrapped | undefined>)[KEY];
}

/** True once anything was installed on `target`. */
export function hasOutermost(target: object): boolean {
  return installationOf(target) !== undefined;
}

function servedBy(self: object, home: object): Wrapped | undefined {
  const wrapped = installationOf(self);
  return wrapped?.home === home ? wrapped : undefined;
}

/** What `home` inherits a method from: its prototype, read at call time. */
function parentOf(home: object): object | null {
  return Object.getPrototypeOf(home) as object | null;
}

function defineMethod<W extends Wrapped>(home: object, family: OutermostFamily<W>, name: string): void {
  const outer = family.methods?.[name] as MethodOuter<W>;
  const method = function (this: object, ...args: unknown[]): unknown {
    // A method is a data property: a plain load (cached per prototype by V8) finds it, no receiver needed.
    const inherited = (parentOf(home) as Record<string, AnyFunction>)[name] as AnyFunction;
    const wrapped = installationOf(this);
    if (wrapped?.family === family) return outer(wrapped as W, this, args, inherited);
    return inherited.apply(this, args);
  };
  Object.defineProperty(home, name, { configurable: true, enumerable: false, writable: true, value: method });
}

/**
 * Accessor `i` on `home`: a prototype (`inherits`: objects it does not serve get what its own prototype has) or
 * one object (its own accessor).
 */
function defineAccessor<W extends Wrapped>(
  home: object,
  family: OutermostFamily<W>,
  i: number,
  inherits: boolean,
): void {
  const name = family.accessors[i] as string;
  Object.defineProperty(home, name, {
    configurable: true,
    enumerable: !inherits,
    get(this: object) {
      const wrapped = servedBy(this, home);
      if (wrapped !== undefined) return wrapped.read(i);
      const parent = inherits ? parentOf(home) : null;
      return parent === null ? undefined : Reflect.get(parent, name, this);
    },
    set(this: object, value: AnyFunction) {
      const wrapped = servedBy(this, home);
      if (wrapped !== undefined) wrapped.write(i, value);
      else Object.defineProperty(this, name, { value, writable: true, enumerable: true, configurable: true });
    },
  });
}

/**
 * Creates a family and returns its installer: `install(target, wrapped)` makes the family's wrappers the
 * outermost on `target`, even when middleware mounted later wraps the same methods. Such wrappers read the method,
 * then assign their own (compression, on-headers, express-session all do); every read hands out its own proxy,
 * and an assignment splices the new wrapper in below ours, with the proxy it read leading to what was below
 * before. Their relative order is kept.
 *
 * Adding properties to a response express has re-prototyped costs V8 a new hidden class each time, so when the
 * methods are inherited from a delegating prototype like express's `app.response`, the accessors are defined once
 * on that prototype and the response itself is not touched: installing is one entry in its `locals` (a WeakMap
 * entry per response costs the garbage collector far more). They go on the prototype itself, not on a layer
 * inserted above it: every other property of every response is looked up through one object fewer.
 * Objects the prototype's accessors do not serve see what its own prototype has. When a method is already an own
 * property (a wrapper mounted earlier, on the response or on that prototype) or the prototype is a class's (Node's
 * own `ServerResponse.prototype`, never changed), the accessors go on the object itself.
 */
export function createOutermost<W extends Wrapped>(
  family: OutermostFamily<W>,
): (target: object, wrapped: W) => void {
  /** Prototype → true once it carries this family's accessors, false when it cannot. */
  const homes = new WeakMap<object, boolean>();
  const names = family.accessors;
  const methodNames = Object.keys(family.methods ?? {});

  // Nearly every response of an app has the same prototype: the last answer skips the WeakMap.
  let lastProto: object | null = null;
  let lastHome: object | null = null;

  /** `proto` with this family's accessors and methods on it, or null when they cannot go there. */
  function homeOn(proto: object): object | null {
    if (proto === lastProto) return lastHome;
    const home = findHome(proto);
    lastProto = proto;
    lastHome = home;
    return home;
  }

  function findHome(proto: object): object | null {
    const known = homes.get(proto);
    if (known !== undefined) return known ? proto : null;
    const fit =
      !Object.hasOwn(proto, "constructor") &&
      Object.isExtensible(proto) &&
      !names.some((name) => Object.hasOwn(proto, name)) &&
      !methodNames.some((name) => Object.hasOwn(proto, name));
    homes.set(proto, fit);
    if (!fit) return null;
    for (let i = 0; i < names.length; i++) defineAccessor(proto, family, i, true);
    for (const name of methodNames) {
      if (typeof Reflect.get(proto, name) === "function") defineMethod(proto, family, name);
    }
    return proto;
  }

  return function install(target: object, wrapped: W): void {
    const proto = Object.getPrototypeOf(target) as object | null;
    const home = proto === null ? null : homeOn(proto);
    let shadowed = home === null;
    for (let i = 0; !shadowed && i < names.length; i++) shadowed = Object.hasOwn(target, names[i] as string);
    if (!shadowed) {
      wrapped.attach(target, family, home as object, parentOf(home as object), null);
    } else {
      // Own accessors, over what each method is right now.
      const below = names.map((name) => Reflect.get(target, name) as AnyFunction);
      wrapped.attach(target, family, target, null, below);
      for (let i = 0; i < names.length; i++) defineAccessor(target, family, i, false);
    }
    let locals = (target as WithLocals).locals;
    if (locals === undefined || locals === null) {
      locals = {};
      (target as WithLocals).locals = locals;
    }
    locals[KEY] = wrapped;
  };
}
