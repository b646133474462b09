import { afterEach, describe, expect, it, vi } from "vitest";
import { storedEvent } from "../store/store-suite.js";
import type { StoredEvent } from "../store/types.js";
import { WriteQueue } from "./batch-queue.js";

const events = (n: number) =>
  Array.from({ length: n }, (_, i) => storedEvent({ visitorId: "v", sessionId: "s", ts: i }));

afterEach(() => {
  vi.useRealTimers();
});

describe("WriteQueue", () => {
  it("writes full batches as soon as they fill up, one write per batch", async () => {
    const batches: number[] = [];
    const queue = new WriteQueue({
      write: async (b) => void batches.push(b.length),
      maxBatch: 3,
      flushIntervalMs: 60_000,
    });
    expect(queue.push(events(7))).toBe(true);
    await queue.flush();
    expect(batches).toEqual([3, 3, 1]);
    expect(queue.metrics()).toMatchObject({ stored: 7, batches: 3, queued: 0, failed: 0 });
    await queue.close();
  });

  it("grows the next batch while a write is in flight, up to maxBatch, starting writes at flushAt", async () => {
    const batches: number[] = [];
    const releases: Array<() => void> = [];
    const queue = new WriteQueue({
      write: async (b) => {
        batches.push(b.length);
        await new Promise<void>((r) => releases.push(r));
      },
      maxBatch: 8,
      flushAt: 3,
      flushIntervalMs: 60_000,
    });
    queue.push(events(2));
    expect(batches).toEqual([]);
    queue.push(events(1)); // 3 waiting: a write starts
    await new Promise((r) => setImmediate(r));
    expect(batches).toEqual([3]);
    for (let i = 0; i < 10; i++) queue.push(events(1));
    expect(queue.size).toBe(13);
    let flushed = false;
    const done = queue.flush().then(() => {
      flushed = true;
    });
    while (!flushed) {
      await new Promise((r) => setImmediate(r));
      for (const release of releases.splice(0)) release();
    }
    await done;
    expect(batches).toEqual([3, 8, 2]);
    expect(queue.metrics()).toMatchObject({ stored: 13, batches: 3, queued: 0 });
    await queue.close();
  });

  it("flushes a partial batch on the timer", async () => {
    vi.useFakeTimers();
    const write = vi.fn(async (_b: StoredEvent[]) => {});
    const queue = new WriteQueue({ write, maxBatch: 100, flushIntervalMs: 1000 });
    queue.push(events(2));
    expect(write).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1000);
    expect(write).toHaveBeenCalledTimes(1);
    expect(write.mock.calls[0]?.[0]).toHaveLength(2);
    await queue.close();
  });

  it("writes what is queued on close, then refuses new events", async () => {
    const stored: StoredEvent[] = [];
    const queue = new WriteQueue({
      write: async (b) => void stored.push(...b),
      maxBatch: 500,
      flushIntervalMs: 60_000,
    });
    queue.push(events(5));
    await queue.close();
    expect(stored).toHaveLength(5);
    expect(queue.push(events(1))).toBe(false);
  });

  it("is bounded: refuses a push that would exceed capacity, counting in-flight events", async () => {
    let release!: () => void;
    const blocked = new Promise<void>((r) => {
      release = r;
    });
    const queue = new WriteQueue({
      write: () => blocked,
      maxBatch: 4,
      capacity: 10,
      flushIntervalMs: 60_000,
    });
    expect(queue.push(events(4))).toBe(true); // starts writing, in flight
    expect(queue.push(events(6))).toBe(true);
    expect(queue.size).toBe(10);
    expect(queue.push(events(1))).toBe(false);
    release();
    await queue.flush();
    expect(queue.size).toBe(0);
    expect(queue.push(events(1))).toBe(true);
    await queue.close();
  });

  it("retries a failed batch with backoff, then gives up and counts it", async () => {
    vi.useFakeTimers();
    let calls = 0;
    const errors: boolean[] = [];
    const queue = new WriteQueue({
      write: async () => {
        calls++;
        if (calls <= 2) throw new Error("db down");
      },
      maxRetries: 3,
      retryBaseMs: 100,
      flushIntervalMs: 60_000,
      onError: (_e, info) => errors.push(info.final),
    });
    queue.push(events(3));
    const done = queue.flush();
    await vi.advanceTimersByTimeAsync(100 + 200);
    await done;
    expect(calls).toBe(3);
    expect(queue.metrics()).toMatchObject({ stored: 3, retries: 2, failed: 0 });
    expect(errors).toEqual([false, false]);

    const failing = new WriteQueue({
      write: async () => {
        throw new Error("still down");
      },
      maxRetries: 2,
      retryBaseMs: 10,
      flushIntervalMs: 60_000,
    });
    failing.push(events(4));
    const closing = failing.close();
    await vi.advanceTimersByTimeAsync(1000);
    await closing;
    expect(failing.metrics()).toMatchObject({ stored: 0, failed: 4, retries: 2 });
    await queue.close();
  });

  it("writes several batches at once when asked, preparing them one at a time in order", async () => {
    const prepared: number[] = [];
    let writing = 0;
    let mostAtOnce = 0;
    const releases: Array<() => void> = [];
    const queue = new WriteQueue({
      prepare: async (b) => {
        prepared.push(b[0]?.ts ?? -1);
      },
      write: async () => {
        writing++;
        mostAtOnce = Math.max(mostAtOnce, writing);
        await new Promise<void>((r) => releases.push(r));
        writing--;
      },
      maxBatch: 2,
      concurrency: 3,
      flushIntervalMs: 60_000,
    });
    queue.push(events(10));
    let flushed = false;
    const done = queue.flush().then(() => {
      flushed = true;
    });
    while (!flushed) {
      await new Promise((r) => setImmediate(r));
      for (const release of releases.splice(0)) release();
    }
    await done;
    expect(mostAtOnce).toBe(3);
    expect(prepared).toEqual([0, 2, 4, 6, 8]);
    expect(queue.metrics()).toMatchObject({ stored: 10, batches: 5, queued: 0 });
    await queue.close();
  });
});
