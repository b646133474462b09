import { afterEach, describe, expect, it, vi } from "vitest";
import { fullJitterDelay, parseRetryAfter } from "./backoff.js";
import { BatchQueue, type BatchQueueOptions, SendError } from "./batch-queue.js";

interface Item {
  ts: number;
}
const events = (n: number, from = 0): Item[] => Array.from({ length: n }, (_, i) => ({ ts: from + i }));

/** The old write queue's shape: `write` instead of `send`, refusing when full, no jitter. */
class WriteQueue extends BatchQueue<Item> {
  constructor(
    options: Omit<Partial<BatchQueueOptions<Item>>, "send"> & { write: (batch: Item[]) => Promise<void> },
  ) {
    super({ name: "test", whenFull: "refuse", random: () => 0.5, ...options, send: options.write });
  }
}

afterEach(() => {
  vi.useRealTimers();
});

describe("BatchQueue", () => {
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
    expect(queue.metrics()).toMatchObject({ delivered: 7, batches: 3, queued: 0, failed: 0 });
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
    expect(queue.metrics()).toMatchObject({ delivered: 13, batches: 3, queued: 0 });
    await queue.close();
  });

  it("flushes a partial batch on the timer", async () => {
    vi.useFakeTimers();
    const write = vi.fn(async (_b: Item[]) => {});
    const queue = new WriteQueue({ write, maxBatch: 100, flushIntervalMs: 1000 });
    queue.push(events(2));
    expect(write).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1000);
    expect(write).toHaveBeenCalledTimes(1);
    expect(write.mock.calls[0]?.[0]).toHaveLength(2);
    await queue.close();
  });

  it("writes what is queued on close, then refuses new events", async () => {
    const stored: Item[] = [];
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
    // Full jitter at 0.5: half of 100, then half of 200.
    await vi.advanceTimersByTimeAsync(50 + 100);
    await done;
    expect(calls).toBe(3);
    expect(queue.metrics()).toMatchObject({ delivered: 3, retries: 2, failed: 0 });
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
    expect(failing.metrics()).toMatchObject({ delivered: 0, failed: 4, retries: 2 });
    await queue.close();
  });

  it("writes several batches at once when asked, taking them in order", async () => {
    const started: number[] = [];
    let writing = 0;
    let mostAtOnce = 0;
    const releases: Array<() => void> = [];
    const queue = new WriteQueue({
      write: async (b) => {
        started.push(b[0]?.ts ?? -1);
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
    expect(started).toEqual([0, 2, 4, 6, 8]);
    expect(queue.metrics()).toMatchObject({ delivered: 10, batches: 5, queued: 0 });
    await queue.close();
  });

  it("drops the oldest waiting items when a drop-oldest queue is full, and counts them", async () => {
    const sent: number[] = [];
    const queue = new BatchQueue<Item>({
      name: "t",
      whenFull: "drop-oldest",
      capacity: 5,
      flushAt: 100,
      flushIntervalMs: 0,
      send: async (b) => void sent.push(...b.map((i) => i.ts)),
    });
    expect(queue.push(events(4))).toBe(true);
    expect(queue.push(events(3, 10))).toBe(true);
    expect(queue.push(events(7, 20))).toBe(true);
    await queue.flush();
    expect(sent).toEqual([22, 23, 24, 25, 26]);
    expect(queue.metrics()).toMatchObject({ dropped: 9, delivered: 5, queued: 0 });
  });

  it("does not retry a permanent SendError, and waits at least Retry-After before retrying", async () => {
    const delays: number[] = [];
    let calls = 0;
    const queue = new BatchQueue<Item>({
      name: "t",
      whenFull: "drop-oldest",
      flushIntervalMs: 0,
      random: () => 0,
      sleep: async (ms) => void delays.push(ms),
      send: async (b) => {
        calls++;
        if (b[0]?.ts === 0) throw new SendError("HTTP 400", true);
        if (calls === 2) throw new SendError("HTTP 429", false, 3000);
      },
    });
    queue.push(events(1));
    await queue.flush();
    queue.push(events(1, 5));
    await queue.flush();
    expect(calls).toBe(3);
    expect(delays).toEqual([3000]);
    expect(queue.metrics()).toMatchObject({ failed: 1, delivered: 1, retries: 1 });
  });

  it("keeps keys apart and batches within the byte limit", async () => {
    const batches: number[][] = [];
    const queue = new BatchQueue<Item>({
      name: "t",
      whenFull: "drop-oldest",
      flushAt: 100,
      flushIntervalMs: 0,
      maxBatchBytes: 30,
      sizeOf: () => 9,
      batchKey: (i) => String(Math.floor(i.ts / 10)),
      send: async (b) => void batches.push(b.map((i) => i.ts)),
    });
    queue.push([...events(5), ...events(2, 10)]);
    await queue.flush();
    // 9 bytes + a separator each: three fit in 30 bytes; key 1 starts a new batch.
    expect(batches).toEqual([
      [0, 1, 2],
      [3, 4],
      [10, 11],
    ]);
  });

  it("on close, gives up after closeTimeoutMs: aborts the send and drops what is left", async () => {
    let aborted = false;
    const queue = new BatchQueue<Item>({
      name: "t",
      whenFull: "drop-oldest",
      maxBatch: 2,
      flushIntervalMs: 0,
      closeTimeoutMs: 20,
      send: (_b, signal) =>
        new Promise((_resolve, reject) => {
          signal.addEventListener("abort", () => {
            aborted = true;
            reject(new Error("aborted"));
          });
        }),
    });
    queue.push(events(5));
    await queue.close();
    expect(aborted).toBe(true);
    expect(queue.metrics()).toMatchObject({ dropped: 5, delivered: 0, failed: 0, queued: 0 });
    expect(queue.push(events(1))).toBe(false);
  });

  it("refuses bad sizes with a message naming the queue", () => {
    expect(
      () => new BatchQueue<Item>({ name: "ga4", whenFull: "refuse", capacity: 0, send: async () => {} }),
    ).toThrow(/ga4: queue capacity must be a positive integer/);
  });
});

describe("backoff", () => {
  it("full jitter stays between 0 and the exponential ceiling", () => {
    expect(fullJitterDelay(0, 100, 10_000, () => 0)).toBe(0);
    expect(fullJitterDelay(0, 100, 10_000, () => 0.999)).toBe(99);
    expect(fullJitterDelay(3, 100, 10_000, () => 0.999)).toBe(799);
    expect(fullJitterDelay(20, 100, 10_000, () => 0.999)).toBe(9_990);
  });

  it("parses Retry-After seconds and HTTP dates, ignoring garbage", () => {
    expect(parseRetryAfter("120")).toBe(120_000);
    expect(
      parseRetryAfter("Wed, 21 Oct 2015 07:28:30 GMT", Date.parse("Wed, 21 Oct 2015 07:28:00 GMT")),
    ).toBe(30_000);
    expect(parseRetryAfter("soon")).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});
