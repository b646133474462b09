import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { watchBodyDeadline } from "./body-deadlines.js";

beforeEach(() => vi.useFakeTimers({ toFake: ["setInterval", "clearInterval", "performance"] }));
afterEach(() => vi.useRealTimers());

describe("watchBodyDeadline", () => {
  it("expires a body once its timeout has passed, within a quarter more", async () => {
    const expire = vi.fn();
    watchBodyDeadline(400, expire);
    await vi.advanceTimersByTimeAsync(399);
    expect(expire).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(101);
    expect(expire).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(2000);
    expect(expire).toHaveBeenCalledTimes(1);
  });

  it("never expires a body whose read finished first", async () => {
    const expire = vi.fn();
    const done = watchBodyDeadline(400, expire);
    await vi.advanceTimersByTimeAsync(300);
    done();
    await vi.advanceTimersByTimeAsync(2000);
    expect(expire).not.toHaveBeenCalled();
  });

  it("checks often enough for the shortest timeout watched", async () => {
    const slow = vi.fn();
    const fast = vi.fn();
    watchBodyDeadline(10_000, slow);
    watchBodyDeadline(100, fast);
    await vi.advanceTimersByTimeAsync(125);
    expect(fast).toHaveBeenCalledTimes(1);
    expect(slow).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(slow).toHaveBeenCalledTimes(1);
  });
});
