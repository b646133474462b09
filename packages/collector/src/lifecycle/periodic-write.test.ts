import { afterEach, describe, expect, it, vi } from "vitest";
import { PeriodicWrite, storeOpened } from "./periodic-write.js";

afterEach(() => vi.useRealTimers());

describe("PeriodicWrite", () => {
  it("runs one write at a time, in the order asked", async () => {
    const log: string[] = [];
    let running = 0;
    let n = 0;
    const periodic = new PeriodicWrite(async () => {
      const mine = ++n;
      running++;
      expect(running).toBe(1);
      log.push(`start ${mine}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      log.push(`end ${mine}`);
      running--;
    });
    await Promise.all([periodic.now(), periodic.now(), periodic.now()]);
    expect(log).toEqual(["start 1", "end 1", "start 2", "end 2", "start 3", "end 3"]);
  });

  it("writes every interval once started, and once more when stopped", async () => {
    vi.useFakeTimers();
    const write = vi.fn(async () => {});
    const periodic = new PeriodicWrite(write, 1000);
    await vi.advanceTimersByTimeAsync(5000);
    expect(write).not.toHaveBeenCalled();
    periodic.start();
    periodic.start();
    await vi.advanceTimersByTimeAsync(3000);
    expect(write).toHaveBeenCalledTimes(3);
    await periodic.stop();
    expect(write).toHaveBeenCalledTimes(4);
    await vi.advanceTimersByTimeAsync(5000);
    expect(write).toHaveBeenCalledTimes(4);
  });
});

describe("storeOpened", () => {
  it("is true once the store is ready and false when it failed to open", async () => {
    await expect(storeOpened(Promise.resolve())).resolves.toBe(true);
    await expect(storeOpened(Promise.reject(new Error("no such file")))).resolves.toBe(false);
  });
});
