import { describe, expect, it } from "vitest";
import { createOutermost, type Outer, Wrapped } from "./outermost.js";

/** A family wrapping `end`: its outer wrapper records the call and returns what sits below, tagged. */
function family() {
  const calls: unknown[][] = [];
  const outer: Outer<Wrapped> = (wrapped, self, args) => {
    calls.push(args);
    return `outer(${wrapped.callBelow(0, self, args) as string})`;
  };
  const install = createOutermost<Wrapped>({ accessors: ["end"], accessorOuters: [outer] });
  return { install, calls };
}

type WithEnd = { end(...args: unknown[]): unknown; locals?: object };

describe("createOutermost", () => {
  it("defines the accessors once on the shared prototype, with no object inserted above it", () => {
    const base = { end: () => "base" };
    const proto = Object.create(base) as object;
    const { install, calls } = family();
    const a = Object.create(proto) as WithEnd;
    const b = Object.create(proto) as WithEnd;
    install(a, new Wrapped());
    install(b, new Wrapped());
    expect(Object.getPrototypeOf(proto)).toBe(base);
    expect(Object.hasOwn(proto, "end")).toBe(true);
    expect(Object.hasOwn(a, "end")).toBe(false);
    expect(a.end(1)).toBe("outer(base)");
    expect(b.end(2)).toBe("outer(base)");
    expect(calls).toEqual([[1], [2]]);
  });

  it("leaves objects it does not serve alone: they inherit the method, and assigning gives them their own", () => {
    const base = { end: () => "base" };
    const proto = Object.create(base) as object;
    const { install, calls } = family();
    install(Object.create(proto) as object, new Wrapped());
    const other = Object.create(proto) as WithEnd;
    expect(other.end()).toBe("base");
    other.end = () => "own";
    expect(Object.hasOwn(other, "end")).toBe(true);
    expect(other.end()).toBe("own");
    expect(calls).toEqual([]);
  });

  it("follows the prototype's own prototype when it changes later (express mounting a sub-app)", () => {
    const proto = Object.create({ end: () => "first" }) as object;
    const { install } = family();
    install(Object.create(proto) as object, new Wrapped());
    Object.setPrototypeOf(proto, { end: () => "second" });
    const later = Object.create(proto) as WithEnd;
    expect(later.end()).toBe("second");
    install(later, new Wrapped());
    expect(later.end()).toBe("outer(second)");
  });

  it("puts the accessors on the object when the prototype has the method as its own, or is a class's", () => {
    const proto = { end: () => "proto's own" };
    const { install } = family();
    const a = Object.create(proto) as WithEnd;
    install(a, new Wrapped());
    expect(Object.hasOwn(a, "end")).toBe(true);
    expect(proto.end()).toBe("proto's own");
    expect(a.end()).toBe("outer(proto's own)");

    class Response {
      end() {
        return "class";
      }
    }
    const r = new Response() as WithEnd;
    install(r, new Wrapped());
    expect(Object.hasOwn(r, "end")).toBe(true);
    expect(Object.hasOwn(Response.prototype, "end") && Response.prototype.end()).toBe("class");
    expect(r.end()).toBe("outer(class)");
  });

  it("a second family meeting the first one's accessors on a prototype wraps its objects on their own", () => {
    const proto = Object.create({ end: () => "base" }) as object;
    const first = family();
    const second = family();
    const a = Object.create(proto) as WithEnd;
    first.install(a, new Wrapped());
    const b = Object.create(proto) as WithEnd;
    second.install(b, new Wrapped());
    expect(Object.hasOwn(b, "end")).toBe(true);
    expect(a.end()).toBe("outer(base)");
    expect(b.end()).toBe("outer(base)");
    expect([first.calls.length, second.calls.length]).toEqual([1, 1]);
  });
});
