import { describe, expect, it } from "vitest";
import { RateLimiter } from "./rate-limit.js";

describe("RateLimiter", () => {
  it("allows a burst, then refills at the sustained rate", () => {
    let now = 0;
    const limiter = new RateLimiter({ perSecond: 2, burst: 3 }, () => now);
    expect([limiter.take("a"), limiter.take("a"), limiter.take("a")]).toEqual([0, 0, 0]);
    expect(limiter.take("a")).toBeGreaterThan(0);
    expect(limiter.take("b")).toBe(0);
    now += 500;
    expect(limiter.take("a")).toBe(0);
    expect(limiter.take("a")).toBeGreaterThan(0);
  });

  it("tells how many seconds to wait", () => {
    const limiter = new RateLimiter({ perSecond: 0.1, burst: 1 }, () => 0);
    limiter.take("a");
    expect(limiter.take("a")).toBe(10);
  });

  it("evicts idle clients and caps how many it tracks", () => {
    let now = 0;
    const limiter = new RateLimiter({ perSecond: 10, burst: 10, maxClients: 100 }, () => now);
    for (let i = 0; i < 500; i++) limiter.take(`c${i}`);
    expect(limiter.size).toBe(100);
    now += 60_000;
    limiter.take("fresh");
    expect(limiter.size).toBe(1);
  });
});
