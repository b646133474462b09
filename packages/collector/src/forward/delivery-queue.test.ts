import { afterEach, describe, expect, it, vi } from "vitest";
import { type RecordingServer, refusedUrl, startRecordingServer } from "../../test/recording-server.js";
import { fullJitterDelay, parseRetryAfter } from "../destinations/backoff.js";
import { DeliveryQueue, type DeliveryQueueOptions } from "./delivery-queue.js";

let server: RecordingServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

interface Item {
  n: number;
  pad?: string;
}

/** Sleeps recorded, not waited: retries run immediately and the requested delays can be asserted. */
function recordingSleep() {
  const delays: number[] = [];
  return { delays, sleep: async (ms: number) => void delays.push(ms) };
}

function queueTo(url: string, options: Partial<DeliveryQueueOptions<Item>> = {}) {
  const errors: unknown[] = [];
  const queue = new DeliveryQueue<Item>({
    name: "test",
    maxBatchItems: 10,
    maxBatchBytes: 10_000,
    maxItemBytes: 5_000,
    flushAt: 100,
    flushInterval: 60_000,
    onError: (e) => errors.push(e),
    buildRequest: (items) => ({
      url: `${url}/ingest`,
      init: { method: "POST", body: JSON.stringify(items) },
    }),
    ...options,
  });
  return { queue, errors };
}

const bodies = (s: RecordingServer) => s.requests.map((r) => (JSON.parse(r.body) as Item[]).map((i) => i.n));

describe("DeliveryQueue", () => {
  it("batches by count and sends on flush()", async () => {
    server = await startRecordingServer();
    const { queue } = queueTo(server.url, { maxBatchItems: 4 });
    for (let n = 0; n < 10; n++) queue.push({ n });
    expect(server.requests).toHaveLength(0);
    await queue.flush();
    expect(bodies(server)).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ]);
    expect(queue.stats()).toEqual({ queued: 0, sent: 10, failed: 0, dropped: 0, retries: 0 });
  });

  it("sends by itself once flushAt events are queued", async () => {
    server = await startRecordingServer();
    const { queue } = queueTo(server.url, { flushAt: 3 });
    for (let n = 0; n < 3; n++) queue.push({ n });
    await server.waitForRequests(1);
    expect(bodies(server)).toEqual([[0, 1, 2]]);
  });

  it("sends on the flush interval without an explicit flush", async () => {
    server = await startRecordingServer();
    const { queue } = queueTo(server.url, { flushInterval: 10 });
    queue.push({ n: 1 });
    await server.waitForRequests(1);
    expect(bodies(server)).toEqual([[1]]);
  });

  it("waits exactly flushInterval before sending a partial batch (fake clock)", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const calls: string[] = [];
      const fakeFetch = (async (_url: string, init?: RequestInit) => {
        calls.push(String(init?.body));
        return new Response(null, { status: 204 });
      }) as typeof fetch;
      const { queue } = queueTo("http://127.0.0.1:9", { fetch: fakeFetch, flushInterval: 10_000 });
      queue.push({ n: 1 });
      await vi.advanceTimersByTimeAsync(9_999);
      expect(calls).toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      expect(calls).toEqual(['[{"n":1}]']);
      expect(queue.stats()).toMatchObject({ sent: 1, queued: 0 });
    } finally {
      vi.useRealTimers();
    }
  });

  it("keeps batches under maxBatchBytes and drops single items over maxItemBytes", async () => {
    server = await startRecordingServer();
    const { queue, errors } = queueTo(server.url, { maxBatchBytes: 2_500 });
    for (let n = 0; n < 5; n++) queue.push({ n, pad: "x".repeat(1_000) });
    expect(queue.push({ n: 99, pad: "x".repeat(6_000) })).toBe(false);
    await queue.flush();
    for (const request of server.requests) expect(Buffer.byteLength(request.body)).toBeLessThanOrEqual(2_500);
    expect(bodies(server).flat()).toEqual([0, 1, 2, 3, 4]);
    expect(queue.stats().dropped).toBe(1);
    expect(String(errors[0])).toMatch(/exceeds the 5000-byte limit/);
  });

  it("never mixes batch keys in one request", async () => {
    server = await startRecordingServer();
    const { queue } = queueTo(server.url, { batchKey: (item) => String(item.n % 2 === 0 && item.n < 4) });
    for (let n = 0; n < 6; n++) queue.push({ n });
    await queue.flush();
    expect(bodies(server)).toEqual([[0], [1], [2], [3, 4, 5]]);
  });

  it("retries 5xx answers with backoff, then succeeds with the same body", async () => {
    server = await startRecordingServer();
    server.plan({ status: 500 }, { status: 503 }, { status: 204 });
    const { delays, sleep } = recordingSleep();
    const { queue } = queueTo(server.url, { sleep, random: () => 0.5, minBackoff: 100, maxBackoff: 1_000 });
    queue.push({ n: 1 });
    await queue.flush();
    expect(server.requests).toHaveLength(3);
    expect(new Set(server.requests.map((r) => r.body)).size).toBe(1);
    expect(delays).toEqual([50, 100]);
    expect(queue.stats()).toMatchObject({ sent: 1, failed: 0, retries: 2 });
  });

  it("honours Retry-After on 429 (seconds and HTTP date), capped by maxRetryAfter", async () => {
    server = await startRecordingServer();
    server.plan(
      { status: 429, headers: { "retry-after": "7" } },
      { status: 429, headers: { "retry-after": new Date(Date.now() + 3_600_000).toUTCString() } },
    );
    const { delays, sleep } = recordingSleep();
    const { queue } = queueTo(server.url, { sleep, random: () => 0, maxRetryAfter: 30_000 });
    queue.push({ n: 1 });
    await queue.flush();
    expect(delays).toEqual([7_000, 30_000]);
    expect(queue.stats()).toMatchObject({ sent: 1, retries: 2 });
  });

  it("does not retry a 400 and counts the batch as failed", async () => {
    server = await startRecordingServer();
    server.plan({ status: 400 });
    const { queue, errors } = queueTo(server.url, { sleep: recordingSleep().sleep });
    queue.push({ n: 1 });
    queue.push({ n: 2 });
    await queue.flush();
    expect(server.requests).toHaveLength(1);
    expect(queue.stats()).toMatchObject({ sent: 0, failed: 2, retries: 0 });
    expect(String(errors[0])).toMatch(/HTTP 400/);
  });

  it("aborts a request that hangs past the timeout and retries it", async () => {
    server = await startRecordingServer();
    server.plan({ hang: true });
    const { queue, errors } = queueTo(server.url, { timeout: 100, sleep: recordingSleep().sleep });
    queue.push({ n: 1 });
    await queue.flush();
    expect(server.requests).toHaveLength(2);
    expect(queue.stats()).toMatchObject({ sent: 1, retries: 1, failed: 0 });
    expect(errors).toEqual([]);
  });

  it("gives up after maxRetries when the connection is refused, and reports it", async () => {
    const url = await refusedUrl();
    const { delays, sleep } = recordingSleep();
    const { queue, errors } = queueTo(url, { maxRetries: 2, sleep });
    queue.push({ n: 1 });
    await queue.flush();
    expect(delays).toHaveLength(2);
    expect(queue.stats()).toMatchObject({ sent: 0, failed: 1, retries: 2, queued: 0 });
    expect(errors).toHaveLength(1);
  });

  it("drops the oldest events when the queue is full and counts them", async () => {
    server = await startRecordingServer();
    const { queue } = queueTo(server.url, { capacity: 5 });
    for (let n = 0; n < 8; n++) expect(queue.push({ n })).toBe(true);
    expect(queue.stats()).toMatchObject({ queued: 5, dropped: 3 });
    await queue.flush();
    expect(bodies(server)).toEqual([[3, 4, 5, 6, 7]]);
  });

  it("holds new events while the remote is down, bounded, and delivers them when it is back", async () => {
    server = await startRecordingServer();
    server.plan({ status: 503 }, { status: 503 });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { queue } = queueTo(server.url, { capacity: 3, flushAt: 1, maxBatchItems: 1, sleep: () => gate });
    queue.push({ n: 0 });
    await server.waitForRequests(1);
    // n=0 is in flight (waiting to retry); later events queue up to the capacity.
    for (let n = 1; n <= 5; n++) queue.push({ n });
    expect(queue.stats()).toMatchObject({ queued: 4, dropped: 2 });
    release();
    await queue.flush();
    expect(bodies(server).flat()).toEqual([0, 0, 0, 3, 4, 5]);
    expect(queue.stats()).toMatchObject({ queued: 0, sent: 4, dropped: 2, retries: 2 });
  });

  it("close() flushes what is queued and refuses later events", async () => {
    server = await startRecordingServer();
    const { queue } = queueTo(server.url);
    queue.push({ n: 1 });
    queue.push({ n: 2 });
    await queue.close();
    expect(bodies(server)).toEqual([[1, 2]]);
    expect(queue.push({ n: 3 })).toBe(false);
    expect(queue.stats()).toMatchObject({ sent: 2, dropped: 1 });
  });

  it("close({ timeout }) gives up on a hanging remote, drops the rest and resolves", async () => {
    server = await startRecordingServer();
    server.plan({ hang: true });
    const { queue } = queueTo(server.url, { timeout: 60_000, maxBatchItems: 1 });
    queue.push({ n: 1 });
    queue.push({ n: 2 });
    await queue.close({ timeout: 50 });
    expect(queue.stats()).toMatchObject({ queued: 0, sent: 0, dropped: 2 });
  });

  it("retries when building the request fails (e.g. the client id lookup)", async () => {
    server = await startRecordingServer();
    const url = server.url;
    const build = vi
      .fn<DeliveryQueueOptions<Item>["buildRequest"]>()
      .mockRejectedValueOnce(new Error("store down"))
      .mockImplementation((items) => ({ url, init: { method: "POST", body: JSON.stringify(items) } }));
    const { queue } = queueTo(url, { buildRequest: build, sleep: recordingSleep().sleep });
    queue.push({ n: 1 });
    await queue.flush();
    expect(queue.stats()).toMatchObject({ sent: 1, retries: 1 });
  });

  it("rejects nonsensical sizes with a clear error", () => {
    expect(() => queueTo("http://127.0.0.1:1", { capacity: 0 })).toThrow(
      /capacity must be a positive integer/,
    );
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
