// biome-ignore lint/suspicious/noExplicitAny: wraps arbitrary response methods
type AnyFunction = (this: any, ...args: any[]) => any;

/** An outer wrapper: runs first, with the object's state, and calls what sits below with {@link Wrapped.callBelow}. */
export type Outer<S> = (wrapped: Wrapped<S>, self: unknown, args: unknown[]) => unknown;

/** What one read of a method handed out; an assignment right after it redirects it to what was below. */
interface Slot {
  below: AnyFunction | null;
}

/**
 * Methods kept outermost on the objects they are installed on, even when middleware mounted later reads and
 * reassigns them (`res.write`, `res.end`, `res.writeHead`), each with its outer wrapper.
 */
export interface OutermostFamily<S> {
  readonly accessors: readonly string[];
  readonly accessorOuters: readonly Outer<S>[];
  /**
   * Asked when accessor `i` is read: true when the object needs its wrappers no more (say, a response whose
   * Content-Type is settled and not HTML). From then on reads hand out what sits below: no proxy, no wrapper call.
   */
  readonly settled?: (state: S, i: number) => boolean;
  /**
   * Methods that are only called, never reassigned per object (express's `res.send`): a plain function on the
   * prototype layer, `(wrapped, self, args, inherited)`, where `inherited` is the method it overrides.
   */
  readonly methods?: Readonly<Record<string, MethodOuter<S>>>;
}

export type MethodOuter<S> = (
  wrapped: Wrapped<S>,
  self: unknown,
  args: unknown[],
  inherited: AnyFunction,
) => unknown;

/** One object's installation: its state and, per accessor, what sits below the outermost wrapper. */
export class Wrapped<S> {
  readonly state: S;
  readonly family: OutermostFamily<S>;
  /** The prototype layer whose accessors serve this object, or the object itself when it has own accessors. */
  readonly home: object;
  /** Where inherited methods come from: `below[i]` undefined means "what `parent` has". */
  private readonly parent: object | null;
  private readonly target: object;
  private readonly below: (AnyFunction | undefined)[];
  private readonly lastRead: (Slot | undefined)[];
  /** Once true, reads hand out what sits below: the object is left alone from then on. */
  transparent = false;

  constructor(
    target: object,
    state: S,
    family: OutermostFamily<S>,
    home: object,
    parent: object | null,
    below: (AnyFunction | undefined)[],
  ) {
    this.target = target;
    this.state = state;
    this.family = family;
    this.home = home;
    this.parent = parent;
    this.below = below;
    this.lastRead = new Array(below.length);
  }

  private belowOf(i: number): AnyFunction {
    const below = this.below[i];
    if (below !== undefined) return below;
    return Reflect.get(this.parent as object, this.family.accessors[i] as string, this.target) as AnyFunction;
  }

  callBelow(i: number, self: unknown, args: unknown[]): unknown {
    return this.belowOf(i).apply(self, args);
  }

  /** A read: its own proxy, so an assignment right after it can be spliced in below. */
  read(i: number): AnyFunction {
    if (!this.transparent && this.family.settled?.(this.state, i)) this.transparent = true;
    if (this.transparent) return this.belowOf(i);
    const slot: Slot = { below: null };
    this.lastRead[i] = slot;
    const outer = this.family.accessorOuters[i] as Outer<S>;
    const wrapped = this;
    return function proxy(this: unknown, ...args: unknown[]) {
      const below = slot.below;
      return below === null ? outer(wrapped, this, args) : below.apply(this, args);
    };
  }

  /** An assignment: the new wrapper goes below, and the proxy it read leads to what was below before. */
  write(i: number, value: AnyFunction): void {
    reassigned.set(this.target, this as Wrapped<unknown>);
    const slot = this.lastRead[i];
    if (slot !== undefined) slot.below = this.belowOf(i);
    this.lastRead[i] = undefined;
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
const registry = globalThis as Record<symbol, WeakMap<object, Wrapped<unknown>> | undefined>;
registry[KEY] ??= new WeakMap();
const reassigned = registry[KEY];

type WithLocals = { locals?: Record<symbol, unknown> | null };

function installationOf(target: object): Wrapped<unknown> | undefined {
  const found = (target as WithLocals).locals?.[KEY] as Wrapped<unknown> | undefined;
  return found ?? reassigned.get(target);
}

/** True once anything was installed on `target`. */
export function hasOutermost(target: object): boolean {
  return installationOf(target) !== undefined;
}

function servedBy<S>(self: object, home: object): Wrapped<S> | undefined {
  const wrapped = installationOf(self);
  return wrapped?.home === home ? (wrapped as Wrapped<S>) : undefined;
}

function defineMethod<S>(home: object, family: OutermostFamily<S>, name: string, parent: object): void {
  const outer = family.methods?.[name] as MethodOuter<S>;
  const method = function (this: object, ...args: unknown[]): unknown {
    const inherited = Reflect.get(parent, name, this) as AnyFunction;
    const wrapped = installationOf(this);
    if (wrapped?.family === family) return outer(wrapped as Wrapped<S>, this, args, inherited);
    return inherited.apply(this, args);
  };
  Object.defineProperty(home, name, { configurable: true, enumerable: false, writable: true, value: method });
}

function defineAccessor<S>(home: object, family: OutermostFamily<S>, i: number, parent: object | null): void {
  const name = family.accessors[i] as string;
  Object.defineProperty(home, name, {
    configurable: true,
    enumerable: parent === null,
    get(this: object) {
      const wrapped = servedBy<S>(this, home);
      if (wrapped !== undefined) return wrapped.read(i);
      return parent === null ? undefined : Reflect.get(parent, name, this);
    },
    set(this: object, value: AnyFunction) {
      const wrapped = servedBy<S>(this, home);
      if (wrapped !== undefined) wrapped.write(i, value);
      else Object.defineProperty(this, name, { value, writable: true, enumerable: true, configurable: true });
    },
  });
}

/**
 * Creates a family and returns its installer: `install(target, state)` makes the family's wrappers the
 * outermost on `target`, even when middleware mounted later wraps the same methods. Such wrappers read the method,
 * then assign their own (compression, on-headers, express-session all do); every read hands out its own proxy,
 * and an assignment splices the new wrapper in below ours, with the proxy it read leading to what was below
 * before. Their relative order is kept.
 *
 * Adding properties to a response express has re-prototyped costs V8 a new hidden class each time, so when the
 * methods are inherited from a delegating prototype like express's `app.response`, the accessors live on a layer
 * inserted once above that prototype and the response itself is not touched: installing is one entry in its
 * `locals` (a WeakMap entry per response costs the garbage collector far more).
 * Objects the layer does not serve see it as transparent. When a method is already an own property (a wrapper
 * mounted earlier) or the prototype is a class's (Node's own `ServerResponse.prototype`, never changed), the
 * accessors go on the object itself.
 */
export function createOutermost<S>(family: OutermostFamily<S>): (target: object, state: S) => Wrapped<S> {
  /** Prototype → the layer inserted above it, or null when it cannot have one. */
  const layers = new WeakMap<object, object | null>();
  const names = family.accessors;

  function layerAbove(proto: object): object | null {
    let layer = layers.get(proto);
    if (layer === null) return null;
    if (layer !== undefined && Object.getPrototypeOf(proto) === layer) return layer;
    if (Object.hasOwn(proto, "constructor") || !Object.isExtensible(proto)) {
      layers.set(proto, null);
      return null;
    }
    const parent = Object.getPrototypeOf(proto) as object | null;
    layer = Object.create(parent) as object;
    for (let i = 0; i < names.length; i++) defineAccessor(layer, family, i, parent);
    for (const name of Object.keys(family.methods ?? {})) {
      if (parent !== null && typeof Reflect.get(parent, name) === "function")
        defineMethod(layer, family, name, parent);
    }
    Object.setPrototypeOf(proto, layer);
    layers.set(proto, layer);
    return layer;
  }

  return function install(target: object, state: S): Wrapped<S> {
    const proto = Object.getPrototypeOf(target) as object | null;
    const layer = proto === null ? null : layerAbove(proto);
    let shadowed = layer === null;
    for (let i = 0; !shadowed && i < names.length; i++) {
      const name = names[i] as string;
      shadowed = Object.hasOwn(target, name) || Object.hasOwn(proto as object, name);
    }
    let wrapped: Wrapped<S>;
    if (!shadowed) {
      const parent = Object.getPrototypeOf(layer) as object | null;
      wrapped = new Wrapped(
        target,
        state,
        family,
        layer as object,
        parent,
        new Array(names.length).fill(undefined),
      );
    } else {
      // Own accessors, over what each method is right now.
      const below = names.map((name) => Reflect.get(target, name) as AnyFunction);
      wrapped = new Wrapped(target, state, family, target, null, below);
      for (let i = 0; i < names.length; i++) defineAccessor(target, family, i, null);
    }
    let locals = (target as WithLocals).locals;
    if (locals === undefined || locals === null) {
      locals = {};
      (target as WithLocals).locals = locals;
    }
    locals[KEY] = wrapped;
    return wrapped;
  };
}
