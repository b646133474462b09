// biome-ignore lint/suspicious/noExplicitAny: wraps arbitrary response methods
type AnyFunction = (this: any, ...args: any[]) => any;

/** What one read of the method handed out; an assignment right after it redirects it to what was below. */
interface Slot {
  below: AnyFunction | null;
}

type Outer<S> = (state: S, thisArg: unknown, args: unknown[]) => unknown;

/**
 * One method's outermost wrapper on one object: `outer(state, this, args)` runs first and calls what sits below
 * with {@link Layer.callBelow}.
 */
export class Layer<S> {
  /** Whatever currently sits below the outermost wrapper. */
  below: AnyFunction;
  lastRead: Slot | undefined = undefined;
  readonly state: S;
  readonly outer: Outer<S>;
  /** The object carrying the accessor that serves this layer: the target itself or a prototype layer. */
  readonly home: object;

  constructor(below: AnyFunction, state: S, outer: Outer<S>, home: object) {
    this.below = below;
    this.state = state;
    this.outer = outer;
    this.home = home;
  }

  callBelow(thisArg: unknown, args: unknown[]): unknown {
    return this.below.apply(thisArg, args);
  }

  /** A read: its own proxy, so an assignment right after it can be spliced in below. */
  read(): AnyFunction {
    const slot: Slot = { below: null };
    this.lastRead = slot;
    const layer = this;
    return function proxy(this: unknown, ...args: unknown[]) {
      const below = slot.below;
      return below === null ? layer.outer(layer.state, this, args) : below.apply(this, args);
    };
  }

  /** An assignment: the new wrapper goes below, and the proxy it read leads to what was below before. */
  write(value: AnyFunction): void {
    if (this.lastRead) this.lastRead.below = this.below;
    this.lastRead = undefined;
    this.below = value;
  }
}

/**
 * The layers installed on each object, by method name. No property is added to the object itself. Shared by
 * every copy of this package in the process (each layer knows the accessor that serves it).
 */
const registry = globalThis as Record<symbol, WeakMap<object, Record<string, Layer<unknown>>> | undefined>;
const LAYERS = Symbol.for("tracklet.injector.outermost");
registry[LAYERS] ??= new WeakMap();
const layersOf = registry[LAYERS];

/** True once {@link installOutermost} installed anything on `target`. */
export function hasOutermost(target: object): boolean {
  return layersOf.has(target);
}

function layerOf(target: unknown, name: string, home: object): Layer<unknown> | undefined {
  const layer = layersOf.get(target as object)?.[name];
  return layer?.home === home ? layer : undefined;
}

/** Own accessors (one shared descriptor per name): for objects whose method is already an own property. */
const ownAccessors = new Map<string, PropertyDescriptor>();

function ownAccessor(name: string): PropertyDescriptor {
  let descriptor = ownAccessors.get(name);
  if (descriptor === undefined) {
    descriptor = {
      configurable: true,
      enumerable: true,
      get(this: object) {
        return (layerOf(this, name, this) as Layer<unknown>).read();
      },
      set(this: object, value: AnyFunction) {
        (layerOf(this, name, this) as Layer<unknown>).write(value);
      },
    };
    ownAccessors.set(name, descriptor);
  }
  return descriptor;
}

/** While {@link installOutermost} reads a method: the object read, and the prototype layer the read went through. */
let probing: object | undefined;
let probed: object | undefined;

/**
 * Prototype layers: an object inserted once between a delegating prototype (express's `app.response`) and its
 * parent, with the accessors. Objects it does not serve read and assign the methods as if it were not there.
 */
const protoLayers = new WeakMap<object, object | null>();

function defineProtoAccessor(layerProto: object, name: string): void {
  Object.defineProperty(layerProto, name, {
    configurable: true,
    enumerable: false,
    get(this: object) {
      const layer = layerOf(this, name, layerProto);
      if (layer !== undefined) return layer.read();
      if (this === probing) probed = layerProto;
      return Reflect.get(Object.getPrototypeOf(layerProto) as object, name, this);
    },
    set(this: object, value: AnyFunction) {
      const layer = layerOf(this, name, layerProto);
      if (layer !== undefined) layer.write(value);
      else Object.defineProperty(this, name, { value, writable: true, enumerable: true, configurable: true });
    },
  });
}

/**
 * The prototype layer serving `target`, or undefined when its prototype is a class's (Node's own
 * `ServerResponse.prototype`, which is never changed): then the accessors go on the object itself.
 */
function protoLayerFor(target: object, name: string): object | undefined {
  const proto = Object.getPrototypeOf(target) as object | null;
  if (proto === null) return undefined;
  let layerProto = protoLayers.get(proto);
  if (layerProto === null) return undefined;
  if (layerProto === undefined || Object.getPrototypeOf(proto) !== layerProto) {
    if (Object.hasOwn(proto, "constructor") || !Object.isExtensible(proto)) {
      protoLayers.set(proto, null);
      return undefined;
    }
    layerProto = Object.create(Object.getPrototypeOf(proto)) as object;
    Object.setPrototypeOf(proto, layerProto);
    protoLayers.set(proto, layerProto);
  }
  if (!Object.hasOwn(layerProto, name)) defineProtoAccessor(layerProto, name);
  return layerProto;
}

/**
 * Installs `outer` as `target[name]` and keeps it the outermost wrapper even when middleware mounted later wraps
 * the same method. Such wrappers read the method, then assign their own (compression, on-headers,
 * express-session all do); every read hands out its own proxy, and an assignment splices the new wrapper in
 * below ours, with the proxy it read leading to what was below before. Their relative order is kept.
 *
 * This is what lets the injector see the app's HTML even when `compression()` is mounted after it.
 *
 * Adding properties to a response express has re-prototyped costs V8 a new hidden class each time (several
 * microseconds per property), so when the method is inherited from a delegating prototype like express's
 * `app.response`, the accessor lives on a layer inserted once above that prototype; objects without an installed
 * layer see that layer as transparent. A method that is already an own property (a wrapper mounted earlier) gets
 * an own accessor, as does an object whose prototype is a class's.
 */
export function installOutermost<S>(target: object, name: string, state: S, outer: Outer<S>): Layer<S> {
  let layers = layersOf.get(target);
  if (layers === undefined) {
    layers = {};
    layersOf.set(target, layers);
  }
  const proto = protoLayerFor(target, name);
  // Reading the method tells whether the read goes through the prototype layer: an own property of the object
  // or of a prototype below the layer (a wrapper mounted earlier) would shadow it.
  probing = target;
  probed = undefined;
  let below: AnyFunction;
  try {
    below = (target as Record<string, AnyFunction>)[name] as AnyFunction;
  } finally {
    probing = undefined;
  }
  const home = proto !== undefined && probed === proto ? proto : target;
  const layer = new Layer(below, state, outer, home);
  layers[name] = layer as Layer<unknown>;
  if (home === target) Object.defineProperty(target, name, ownAccessor(name));
  return layer;
}
