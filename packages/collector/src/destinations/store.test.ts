import { describe, expect, it, vi } from "vitest";
import { collected } from "../../test/collected-event.js";
import { MemoryStore } from "../../test/memory-store.js";
import { storeDestination } from "./store.js";

const rows = (n: number) => Array.from({ length: n }, (_, i) => collected({ type: "event", name: `e${i}` }));

describe("storeDestination", () => {
  it("writes the rows, without the request's user agent or locale, in batches of at most maxBatch", async () => {
    const store = new MemoryStore();
    const destination = storeDestination({ store, queue: { maxBatch: 4, flushIntervalMs: 0 } });
    expect(destination.accept(rows(10))).toBe(true);
    await destination.flush();
    expect(store.insertCalls).toBe(3);
    expect(store.events.map((e) => e.name)).toEqual([...Array(10).keys()].map((i) => `e${i}`));
    expect(JSON.stringify(store.events)).not.toMatch(/Mozilla|en-US/);
    expect(destination.metrics()).toMatchObject({ collected: 10, delivered: 10, batches: 3, queued: 0 });
    await destination.close();
  });

  it("waits for the store to be ready before writing", async () => {
    const store = new MemoryStore();
    let open!: () => void;
    const ready = new Promise<void>((resolve) => {
      open = resolve;
    });
    const destination = storeDestination({ store, ready, queue: { flushAt: 1 } });
    destination.accept(rows(1));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(store.events).toHaveLength(0);
    open();
    await destination.flush();
    expect(store.events).toHaveLength(1);
    await destination.close();
  });

  it("refuses events it has no room for, all or nothing, and keeps a failed batch for a retry", async () => {
    const store = new MemoryStore();
    store.failNextInserts(1);
    const onError = vi.fn();
    const destination = storeDestination({
      store,
      onError,
      queue: { capacity: 5, flushIntervalMs: 0, flushAt: 100, retryBaseMs: 1 },
    });
    expect(destination.room()).toBe(5);
    expect(destination.accept(rows(4))).toBe(true);
    expect(destination.accept(rows(2))).toBe(false);
    expect(destination.room()).toBe(1);
    await destination.flush();
    expect(store.events).toHaveLength(4);
    expect(onError).toHaveBeenCalledWith(expect.stringMatching(/retrying/), expect.any(Error));
    expect(destination.metrics()).toMatchObject({ collected: 4, delivered: 4, retries: 1, failed: 0 });
    await destination.close();
    expect(destination.accept(rows(1))).toBe(false);
  });

  it("writes on its flush interval without an explicit flush", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const store = new MemoryStore();
      const destination = storeDestination({ store, queue: { flushIntervalMs: 1_000 } });
      destination.accept(rows(1));
      await vi.advanceTimersByTimeAsync(999);
      expect(store.events).toHaveLength(0);
      await vi.advanceTimersByTimeAsync(1);
      expect(store.events.map((e) => e.name)).toEqual(["e0"]);
      await destination.close();
    } finally {
      vi.useRealTimers();
    }
  });

  it("refuses a missing store with a clear error", () => {
    expect(() => storeDestination({ store: {} as MemoryStore })).toThrow(/insertEvents/);
  });
});
