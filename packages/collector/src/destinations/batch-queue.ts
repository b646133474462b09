import { fullJitterDelay } from "./backoff.js";

/** What a full queue does with new items: refuse them (the caller answers 503) or drop its oldest. */
export type WhenFull = "refuse" | "drop-oldest";

/** The tunable part of a queue; every destination takes these as `queue` options. */
export interface BatchQueueTuning {
  /** Most items held, including batches being sent or retried. */
  capacity?: number;
  /** Most items per send. While a send is in flight the next batch keeps growing up to this. */
  maxBatch?: number;
  /** Items waiting that start a send without waiting for the timer (at most `maxBatch`). */
  flushAt?: number;
  /** Send at least this often when items are waiting, ms (unref'd timer; 0: only `flushAt` and `flush()`). */
  flushIntervalMs?: number;
  /** Batches sent at the same time (a store with a connection pool takes several). Default 1. */
  concurrency?: number;
  /** Retries of a failed batch before it is given up and counted as failed. Default 5. */
  maxRetries?: number;
  /** Retry delay: full jitter over `retryBaseMs * 2^attempt`, capped at `retryMaxMs`. Defaults 200, 10000. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Longest honoured `Retry-After`, ms. Default 60000. */
  maxRetryAfterMs?: number;
  /** `close()` waits this long, then aborts what is left (counted as dropped). Default: until everything settles. */
  closeTimeoutMs?: number;
}

export interface BatchQueueOptions<T> extends BatchQueueTuning {
  /** Used in error messages. */
  name: string;
  whenFull: WhenFull;
  /** Sends one batch; a rejection is retried unless it is a `SendError` marked permanent. */
  send(batch: T[], signal: AbortSignal): Promise<void>;
  /** Most serialised bytes per batch, with `sizeOf` measuring an item. */
  maxBatchBytes?: number;
  sizeOf?: (item: T) => number;
  /** Items with different keys never share a batch (e.g. GA4's per-request `client_id`). */
  batchKey?: (item: T) => string;
  /** Every failed attempt; `final` when the batch is given up. */
  onError?: (error: unknown, info: { batchSize: number; attempt: number; final: boolean }) => void;
  /** For tests: the jitter's random source and a sleep that can record delays. */
  random?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** A failed send that says whether retrying can help and how long the receiver asked to wait. */
export class SendError extends Error {
  constructor(
    message: string,
    readonly permanent = false,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "SendError";
  }
}

export interface BatchQueueMetrics {
  /** Waiting or being sent. */
  queued: number;
  /** Sent successfully. */
  delivered: number;
  /** Given up on: a permanent error or retries exhausted. */
  failed: number;
  /** Lost without being sent: queue full (drop-oldest), or left when `close` timed out. */
  dropped: number;
  /** Sends repeated after a failure. */
  retries: number;
  /** Successful sends. */
  batches: number;
}

/**
 * The one batching queue of every destination: bounded (`whenFull` decides between refusing new items and
 * dropping the oldest), sends when `flushAt` items wait or every `flushIntervalMs`, batches by count, bytes and
 * key, several sends at once when `concurrency` allows, retries with full-jitter backoff honouring
 * `Retry-After`. `push` is synchronous and never throws. Timers are unref'd: an idle queue never keeps the
 * process alive.
 */
export class BatchQueue<T> {
  private pending: T[] = [];
  private inFlight = 0;
  private draining: Promise<void> | undefined;
  private scheduled = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly abort = new AbortController();
  private closed = false;
  private readonly o: Required<Omit<BatchQueueOptions<T>, "sizeOf" | "batchKey" | "sleep" | "onError">> &
    Pick<BatchQueueOptions<T>, "sizeOf" | "batchKey" | "sleep" | "onError">;
  private readonly counts = { delivered: 0, failed: 0, dropped: 0, retries: 0, batches: 0 };

  constructor(options: BatchQueueOptions<T>) {
    const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
    this.o = {
      capacity: 10_000,
      maxBatch: 500,
      flushAt: 100,
      flushIntervalMs: 1000,
      concurrency: 1,
      maxRetries: 5,
      retryBaseMs: 200,
      retryMaxMs: 10_000,
      maxRetryAfterMs: 60_000,
      closeTimeoutMs: Number.POSITIVE_INFINITY,
      maxBatchBytes: Number.POSITIVE_INFINITY,
      random: Math.random,
      ...(defined as Partial<BatchQueueOptions<T>>),
    } as typeof this.o;
    for (const key of ["capacity", "maxBatch", "flushAt", "concurrency"] as const) {
      const value = this.o[key];
      if (!(Number.isInteger(value) && value > 0)) {
        throw new RangeError(`${options.name}: queue ${key} must be a positive integer, got ${value}`);
      }
    }
    this.o.flushAt = Math.min(this.o.flushAt, this.o.maxBatch);
  }

  /** Items waiting or being sent. */
  get size(): number {
    return this.pending.length + this.inFlight;
  }

  /** Items that still fit. */
  get room(): number {
    return this.o.capacity - this.size;
  }

  /**
   * Queues items in order. A `refuse` queue takes all or nothing and returns false when they do not fit; a
   * `drop-oldest` queue always takes them, dropping its oldest waiting items to stay within capacity. Closed
   * queues take nothing.
   */
  push(items: readonly T[]): boolean {
    if (this.closed) return false;
    if (items.length === 0) return true;
    const excess = this.size + items.length - this.o.capacity;
    if (excess > 0) {
      if (this.o.whenFull === "refuse") return false;
      const fromPending = Math.min(excess, this.pending.length);
      this.pending.splice(0, fromPending);
      const fromNew = excess - fromPending;
      this.counts.dropped += excess;
      items = fromNew > 0 ? items.slice(fromNew) : items;
    }
    for (const item of items) this.pending.push(item);
    if (this.pending.length >= this.o.flushAt) this.scheduleDrain();
    else this.armTimer();
    return true;
  }

  metrics(): BatchQueueMetrics {
    return { queued: this.size, ...this.counts };
  }

  /** Sends everything queued so far; resolves when it is delivered, failed or dropped. */
  async flush(): Promise<void> {
    while (this.pending.length > 0 || this.draining) await this.drain();
  }

  /** Stops accepting and flushes; after `closeTimeoutMs` aborts sends and retries and drops what is left. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    const timeout = this.o.closeTimeoutMs;
    if (!Number.isFinite(timeout)) return this.flush();
    let deadline: NodeJS.Timeout | undefined;
    const timedOut = new Promise<"timeout">((resolve) => {
      deadline = setTimeout(() => resolve("timeout"), timeout);
    });
    const result = await Promise.race([this.flush(), timedOut]);
    clearTimeout(deadline);
    if (result === "timeout") {
      this.abort.abort(new Error(`${this.o.name}: close timed out after ${timeout} ms`));
      this.counts.dropped += this.pending.length;
      this.pending = [];
      await this.flush();
    }
  }

  /** Sends what is waiting `flushIntervalMs` after the first item arrived (unref'd: never keeps the process up). */
  private armTimer(): void {
    if (this.timer || this.o.flushIntervalMs <= 0 || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.pending.length > 0) void this.drain();
    }, this.o.flushIntervalMs);
    this.timer.unref();
  }

  /**
   * Starts a drain after the current I/O callbacks: everything pushed while handling the requests that arrived
   * together goes out as one batch (a drain per push costs more than the work it does at one event a request).
   */
  private scheduleDrain(): void {
    if (this.scheduled || this.draining) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.drain();
    });
  }

  private drain(): Promise<void> {
    this.draining ??= this.drainLoop().finally(() => {
      this.draining = undefined;
      // Items pushed while the last sender was finishing.
      if (this.pending.length >= this.o.flushAt) this.scheduleDrain();
      else if (this.pending.length > 0) this.armTimer();
    });
    return this.draining;
  }

  private async drainLoop(): Promise<void> {
    const sender = async () => {
      while (this.pending.length > 0) {
        const batch = this.takeBatch();
        this.inFlight += batch.length;
        try {
          await this.sendWithRetry(batch);
        } finally {
          this.inFlight -= batch.length;
        }
      }
    };
    await Promise.all(Array.from({ length: this.o.concurrency }, sender));
  }

  /** The next batch: everything waiting when it fits (no copy), else the oldest items within the limits. */
  private takeBatch(): T[] {
    const { maxBatch, maxBatchBytes, sizeOf, batchKey } = this.o;
    const unlimited = !sizeOf || !Number.isFinite(maxBatchBytes);
    if (unlimited && !batchKey) {
      if (this.pending.length <= maxBatch) {
        const batch = this.pending;
        this.pending = [];
        return batch;
      }
      return this.pending.splice(0, maxBatch);
    }
    const key = batchKey?.(this.pending[0] as T);
    let count = 0;
    let bytes = 0;
    while (count < maxBatch && count < this.pending.length) {
      const item = this.pending[count] as T;
      if (key !== undefined && batchKey?.(item) !== key) break;
      const size = unlimited ? 0 : (sizeOf?.(item) ?? 0) + 1;
      if (count > 0 && bytes + size > maxBatchBytes) break;
      bytes += size;
      count++;
    }
    return this.pending.splice(0, count);
  }

  private async sendWithRetry(batch: T[]): Promise<void> {
    const signal = this.abort.signal;
    for (let attempt = 0; ; attempt++) {
      if (signal.aborted) {
        this.counts.dropped += batch.length;
        return;
      }
      try {
        await this.o.send(batch, signal);
        this.counts.delivered += batch.length;
        this.counts.batches++;
        return;
      } catch (error) {
        if (signal.aborted) {
          this.counts.dropped += batch.length;
          return;
        }
        const final = (error instanceof SendError && error.permanent) || attempt >= this.o.maxRetries;
        this.report(error, { batchSize: batch.length, attempt, final });
        if (final) {
          this.counts.failed += batch.length;
          return;
        }
        this.counts.retries++;
        await this.wait(attempt, error instanceof SendError ? error.retryAfterMs : undefined);
      }
    }
  }

  private wait(attempt: number, retryAfterMs: number | undefined): Promise<void> {
    const backoff = fullJitterDelay(attempt, this.o.retryBaseMs, this.o.retryMaxMs, this.o.random);
    const delay = Math.max(backoff, Math.min(retryAfterMs ?? 0, this.o.maxRetryAfterMs));
    const signal = this.abort.signal;
    if (this.o.sleep) return this.o.sleep(delay, signal);
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const timer = setTimeout(done, delay);
      // While closing, the wait must keep the process alive; otherwise it must not.
      if (!this.closed) timer.unref();
      signal.addEventListener("abort", done, { once: true });
      function done() {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        resolve();
      }
    });
  }

  private report(error: unknown, info: { batchSize: number; attempt: number; final: boolean }): void {
    try {
      this.o.onError?.(error, info);
    } catch {
      // A throwing error handler must not stop delivery.
    }
  }
}
