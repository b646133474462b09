import { describe, expect, it } from "vitest";
import { createClientKey } from "./client-key.js";

describe("createClientKey", () => {
  it("gives one IP the same key every time, and a safe integer that is not the IP", () => {
    const key = createClientKey();
    expect(key("203.0.113.7")).toBe(key("203.0.113.7"));
    expect(Number.isSafeInteger(key("203.0.113.7"))).toBe(true);
    expect(key("203.0.113.7")).toBeGreaterThanOrEqual(0);
  });

  it("tells 200,000 neighbouring IPv4 and IPv6 addresses apart", () => {
    const key = createClientKey();
    const seen = new Set<number>();
    for (let i = 0; i < 100_000; i++) {
      seen.add(key(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`));
      seen.add(key(`2001:db8::${i.toString(16)}`));
    }
    expect(seen.size).toBe(200_000);
  });

  it("is seeded per keyer: two processes key the same IP differently", () => {
    const ips = ["192.0.2.1", "192.0.2.2", "::1"];
    const a = ips.map(createClientKey());
    const b = ips.map(createClientKey());
    expect(a).not.toEqual(b);
  });
});
