import type { StoredEvent } from "../store/types.js";

export interface WriteQueueOptions {
  /** Writes one batch in one transaction. */
  write(batch: StoredEvent[]): Promise<void>;
  /** Runs before each write attempt (session assignment). */
  prepare?(batch: StoredEvent[]): Promise<void>;
  /**
   * Most events per transaction (default 10,000). While one write is in flight the next batch keeps growing up
   * to this, so under load transactions get bigger and each row costs less (a commit rewrites every index page
   * the batch touched, whatever the batch size).
   */
  maxBatch?: number;
  /** Events waiting that start a write without waiting for the timer (default 500, at most `maxBatch`). */
  flushAt?: number;
  /** Flush at least this often when events are waiting (default 1000 ms). */
  flushIntervalMs?: number;
  /** Most events held in memory, including a batch being retried (default 50,000); beyond it `push` refuses. */
  capacity?: number;
  /** Retries of a failed batch before it is dropped and counted (default 5). */
  maxRetries?: number;
  /** First retry delay, doubled each attempt up to `retryMaxMs` (defaults 200 ms, 5000 ms). */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /**
   * Batches written at the same time (default 1). More suits a store with a connection pool (PostgreSQL):
   * the database works on one batch while the next travels. `prepare` still runs one batch at a time, in order.
   */
  concurrency?: number;
  /** Called for every failed attempt; `final` when the batch is given up. */
  onError?(err: unknown, info: { batchSize: number; attempt: number; final: boolean }): void;
}

/** The tunable part of {@link WriteQueueOptions} (what `createCollector({ queue })` takes). */
export type WriteQueueTuning = Omit<WriteQueueOptions, "write" | "prepare" | "onError">;

export interface WriteQueueMetrics {
  queued: number;
  stored: number;
  /** Events dropped after every retry failed. */
  failed: number;
  batches: number;
  retries: number;
}

/**
 * Buffers accepted events and writes them in batches: when `flushAt` are waiting, every `flushIntervalMs`,
 * and on `close()`; each batch takes up to `maxBatch` of the waiting events. Bounded: `push` returns false
 * rather than growing past `capacity`. A failed batch is retried with exponential backoff (bounded), never
 * silently dropped.
 */
export class WriteQueue {
  private pending: StoredEvent[] = [];
  private inFlight = 0;
  private draining: Promise<void> | undefined;
  private readonly timer: NodeJS.Timeout;
  private closed = false;
  private readonly maxBatch: number;
  private readonly flushAt: number;
  private readonly capacity: number;
  private readonly concurrency: number;
  /** Tail of the chain that runs `prepare` steps one after another. */
  private preparing: Promise<void> = Promise.resolve();
  private readonly counters = { stored: 0, failed: 0, batches: 0, retries: 0 };

  constructor(private readonly options: WriteQueueOptions) {
    this.maxBatch = Math.max(1, Math.floor(options.maxBatch ?? 10_000));
    this.flushAt = Math.max(1, Math.min(this.maxBatch, Math.floor(options.flushAt ?? 500)));
    this.capacity = options.capacity ?? 50_000;
    this.concurrency = Math.max(1, Math.floor(options.concurrency ?? 1));
    this.timer = setInterval(() => {
      if (this.pending.length > 0) void this.drain();
    }, options.flushIntervalMs ?? 1000);
    this.timer.unref();
  }

  /** Events waiting or being written. */
  get size(): number {
    return this.pending.length + this.inFlight;
  }

  /** Queues events; false (and nothing queued) when they do not fit or the queue is closed. */
  push(events: StoredEvent[]): boolean {
    if (this.closed || this.size + events.length > this.capacity) return false;
    for (const e of events) this.pending.push(e);
    if (this.pending.length >= this.flushAt) void this.drain();
    return true;
  }

  metrics(): WriteQueueMetrics {
    return { queued: this.size, ...this.counters };
  }

  /** Writes everything queued so far. */
  async flush(): Promise<void> {
    while (this.pending.length > 0 || this.draining) await this.drain();
  }

  /** Stops accepting, writes what is queued (retries included), stops the timer. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.flush();
  }

  private drain(): Promise<void> {
    if (!this.draining) {
      this.draining = this.drainLoop().finally(() => {
        this.draining = undefined;
      });
    }
    return this.draining;
  }

  private async drainLoop(): Promise<void> {
    const writer = async () => {
      while (this.pending.length > 0) {
        const batch = this.takeBatch();
        this.inFlight += batch.length;
        try {
          await this.writeWithRetry(batch);
        } finally {
          this.inFlight -= batch.length;
        }
      }
    };
    await Promise.all(Array.from({ length: this.concurrency }, writer));
  }

  /** The next batch: everything waiting when it fits (no copy), else the oldest `maxBatch` events. */
  private takeBatch(): StoredEvent[] {
    if (this.pending.length <= this.maxBatch) {
      const batch = this.pending;
      this.pending = [];
      return batch;
    }
    return this.pending.splice(0, this.maxBatch);
  }

  /** Runs `prepare` for a batch after the previous batches' (session assignment must see them in order). */
  private prepare(batch: StoredEvent[]): Promise<void> {
    const prepare = this.options.prepare;
    if (!prepare) return Promise.resolve();
    const step = this.preparing.then(() => prepare(batch));
    this.preparing = step.catch(() => {});
    return step;
  }

  private async writeWithRetry(batch: StoredEvent[]): Promise<void> {
    const maxRetries = this.options.maxRetries ?? 5;
    const base = this.options.retryBaseMs ?? 200;
    const max = this.options.retryMaxMs ?? 5000;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.prepare(batch);
        await this.options.write(batch);
        this.counters.stored += batch.length;
        this.counters.batches++;
        return;
      } catch (err) {
        const final = attempt >= maxRetries;
        this.options.onError?.(err, { batchSize: batch.length, attempt, final });
        if (final) {
          this.counters.failed += batch.length;
          return;
        }
        this.counters.retries++;
        await sleep(Math.min(max, base * 2 ** attempt));
      }
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
