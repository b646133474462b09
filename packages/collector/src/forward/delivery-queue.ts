import { fullJitterDelay, parseRetryAfter } from "../destinations/backoff.js";
import type { ForwarderOptions, ForwarderStats } from "./types.js";

export interface HttpRequest {
  url: string;
  init: RequestInit;
}

export interface DeliveryQueueOptions<T> extends Omit<ForwarderOptions, "disabled" | "streams"> {
  /** Used in error messages. */
  name: string;
  /** Most items per request. */
  maxBatchItems: number;
  /** Most serialised item bytes per request (leave room for the envelope). */
  maxBatchBytes: number;
  /** Larger items are dropped and reported. */
  maxItemBytes: number;
  /** Items with different keys never share a request (e.g. GA4's per-request `user_id`). */
  batchKey?: (item: T) => string;
  /** Builds the HTTP request for one batch; a rejection counts as a failed attempt and is retried. */
  buildRequest: (items: T[]) => HttpRequest | Promise<HttpRequest>;
}

interface Entry<T> {
  item: T;
  bytes: number;
  seq: number;
}

interface Waiter {
  target: number;
  resolve: () => void;
}

const defaultSleep = (ms: number, signal: AbortSignal, unref: boolean): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    if (unref) timer.unref();
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });

/**
 * The delivery machinery every forwarder shares: a bounded FIFO queue (full → the oldest item is dropped, so
 * a long outage keeps the most recent activity), batching by count, bytes and key, one request in flight at a
 * time, retries with full-jitter exponential backoff honouring `Retry-After`, a per-request timeout, and a
 * `close` that flushes within a deadline. `push` is synchronous and never touches the network. Timers are
 * unref'd so an idle queue never keeps the process alive; only `close()` waits.
 */
export class DeliveryQueue<T> {
  private readonly queue: Entry<T>[] = [];
  private inFlight: Entry<T>[] = [];
  private readonly waiters: Waiter[] = [];
  private readonly abort = new AbortController();
  private seq = 0;
  private flushTarget = 0;
  private working = false;
  private closed = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly counts = { sent: 0, failed: 0, dropped: 0, retries: 0 };
  private readonly o: Required<Omit<DeliveryQueueOptions<T>, "batchKey" | "sleep">> &
    Pick<DeliveryQueueOptions<T>, "batchKey" | "sleep">;

  constructor(options: DeliveryQueueOptions<T>) {
    this.o = {
      capacity: 10_000,
      flushAt: 20,
      flushInterval: 10_000,
      maxRetries: 3,
      minBackoff: 100,
      maxBackoff: 10_000,
      maxRetryAfter: 60_000,
      timeout: 10_000,
      onError: (error) => console.error(`tracklet ${options.name} forwarder:`, error),
      fetch: (...args) => globalThis.fetch(...args),
      random: Math.random,
      ...(definedOnly(options) as DeliveryQueueOptions<T>),
    };
    for (const key of ["capacity", "flushAt", "maxBatchItems", "maxBatchBytes", "maxItemBytes"] as const) {
      if (!(Number.isInteger(this.o[key]) && this.o[key] > 0)) {
        throw new RangeError(
          `${options.name} forwarder: ${key} must be a positive integer, got ${this.o[key]}`,
        );
      }
    }
  }

  /** Queues one item; false when it was dropped (too large or closed). Never throws. */
  push(item: T): boolean {
    if (this.closed) {
      this.counts.dropped += 1;
      return false;
    }
    const bytes = Buffer.byteLength(JSON.stringify(item));
    if (bytes > this.o.maxItemBytes) {
      this.counts.dropped += 1;
      this.report(
        new Error(`${this.o.name}: event of ${bytes} bytes exceeds the ${this.o.maxItemBytes}-byte limit`),
      );
      return false;
    }
    if (this.queue.length >= this.o.capacity) {
      this.queue.shift();
      this.counts.dropped += 1;
      this.settleWaiters();
    }
    this.seq += 1;
    this.queue.push({ item, bytes, seq: this.seq });
    if (this.queue.length >= this.o.flushAt) this.run();
    else this.armTimer();
    return true;
  }

  /** Sends everything queued now; resolves when those items are delivered, failed or dropped. */
  flush(): Promise<void> {
    const target = this.seq;
    this.flushTarget = Math.max(this.flushTarget, target);
    const done = new Promise<void>((resolve) => this.waiters.push({ target, resolve }));
    this.settleWaiters();
    this.run();
    return done;
  }

  /** Stops accepting items, flushes, and after `timeout` ms aborts and drops whatever is left. */
  async close(options: { timeout?: number } = {}): Promise<void> {
    if (!this.closed) this.closed = true;
    this.clearTimer();
    const timeout = options.timeout ?? 10_000;
    let deadline: NodeJS.Timeout | undefined;
    const timedOut = new Promise<"timeout">((resolve) => {
      deadline = setTimeout(() => resolve("timeout"), timeout);
    });
    const result = await Promise.race([this.flush(), timedOut]);
    clearTimeout(deadline);
    if (result === "timeout") {
      this.abort.abort(new Error(`${this.o.name}: close timed out after ${timeout} ms`));
      await this.flush();
    }
  }

  stats(): Omit<ForwarderStats, "skipped"> {
    return { queued: this.queue.length + this.inFlight.length, ...this.counts };
  }

  private run(): void {
    if (this.working) return;
    this.working = true;
    this.clearTimer();
    void this.work().finally(() => {
      this.working = false;
      if (this.queue.length > 0) {
        if (this.due()) this.run();
        else this.armTimer();
      }
      this.settleWaiters();
    });
  }

  private due(): boolean {
    const head = this.queue[0];
    return head !== undefined && (this.queue.length >= this.o.flushAt || head.seq <= this.flushTarget);
  }

  private async work(): Promise<void> {
    while (this.due()) {
      this.inFlight = this.takeBatch();
      try {
        await this.deliver(this.inFlight.map((entry) => entry.item));
      } catch (error) {
        // deliver() settles its own outcomes; this only guards against a bug turning into a stuck queue.
        this.counts.failed += this.inFlight.length;
        this.report(error);
      }
      this.inFlight = [];
      this.settleWaiters();
    }
  }

  private takeBatch(): Entry<T>[] {
    const first = this.queue[0];
    if (!first) return [];
    const key = this.o.batchKey?.(first.item);
    const batch: Entry<T>[] = [];
    let bytes = 0;
    while (batch.length < this.o.maxBatchItems) {
      const next = this.queue[0];
      if (!next) break;
      if (batch.length > 0 && bytes + next.bytes + 1 > this.o.maxBatchBytes) break;
      if (key !== undefined && this.o.batchKey?.(next.item) !== key) break;
      batch.push(next);
      bytes += next.bytes + 1;
      this.queue.shift();
    }
    return batch;
  }

  private async deliver(items: T[]): Promise<void> {
    const signal = this.abort.signal;
    for (let attempt = 0; ; attempt += 1) {
      if (signal.aborted) {
        this.counts.dropped += items.length;
        return;
      }
      let retriable = true;
      let retryAfter: number | undefined;
      let failure: unknown;
      let request: HttpRequest | undefined;
      try {
        request = await this.o.buildRequest(items);
        const response = await this.o.fetch(request.url, {
          ...request.init,
          signal: AbortSignal.any([signal, AbortSignal.timeout(this.o.timeout)]),
        });
        // Read the body so the connection can be reused.
        await response.arrayBuffer().catch(() => undefined);
        if (response.ok) {
          this.counts.sent += items.length;
          return;
        }
        retriable = response.status >= 500 || response.status === 429 || response.status === 408;
        retryAfter = parseRetryAfter(response.headers.get("retry-after"));
        failure = new Error(`${this.o.name}: HTTP ${response.status} from ${redactQuery(request.url)}`);
      } catch (error) {
        failure =
          error instanceof Error && error.name === "TimeoutError"
            ? new Error(`${this.o.name}: no answer within ${this.o.timeout} ms`, { cause: error })
            : error;
      }
      if (signal.aborted) {
        this.counts.dropped += items.length;
        return;
      }
      if (!retriable || attempt >= this.o.maxRetries) {
        this.counts.failed += items.length;
        this.report(failure);
        return;
      }
      this.counts.retries += 1;
      const backoff = fullJitterDelay(attempt, this.o.minBackoff, this.o.maxBackoff, this.o.random);
      const delay = Math.max(backoff, Math.min(retryAfter ?? 0, this.o.maxRetryAfter));
      if (this.o.sleep) await this.o.sleep(delay, signal);
      // While closing, the wait must keep the process alive; otherwise it must not.
      else await defaultSleep(delay, signal, !this.closed);
    }
  }

  private settleWaiters(): void {
    const lowest = this.inFlight[0]?.seq ?? this.queue[0]?.seq ?? Number.POSITIVE_INFINITY;
    for (let i = this.waiters.length - 1; i >= 0; i -= 1) {
      const waiter = this.waiters[i];
      if (waiter && lowest > waiter.target) {
        this.waiters.splice(i, 1);
        waiter.resolve();
      }
    }
  }

  private armTimer(): void {
    if (this.timer || this.working || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flushTarget = Math.max(this.flushTarget, this.seq);
      this.run();
    }, this.o.flushInterval);
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private report(error: unknown): void {
    try {
      this.o.onError(error);
    } catch {
      // A throwing error handler must not stop delivery.
    }
  }
}

/** Drops the query string (GA4 puts its API secret there) from URLs shown in errors. */
function redactQuery(url: string): string {
  const index = url.indexOf("?");
  return index === -1 ? url : `${url.slice(0, index)}?…`;
}

function definedOnly<O extends object>(options: O): Partial<O> {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Partial<O>;
}
