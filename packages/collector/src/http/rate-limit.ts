export interface RateLimitOptions {
  /** Sustained requests per second per client (default 20). */
  perSecond?: number;
  /** Requests a client may send at once after being idle (default 100). */
  burst?: number;
  /** Most clients tracked; the least recently seen are evicted beyond it (default 10,000). */
  maxClients?: number;
}

/**
 * Per-client token buckets keyed by an IP hash (`createClientKey`). Memory is bounded: a bucket that has refilled
 * completely is equivalent to no bucket and is dropped on the next sweep, and at most `maxClients` are kept (LRU).
 */
export class RateLimiter {
  readonly perSecond: number;
  readonly burst: number;
  private readonly maxClients: number;
  private readonly buckets = new Map<string | number, { tokens: number; at: number }>();
  private lastSweep = 0;

  constructor(
    options: RateLimitOptions = {},
    private readonly now: () => number = Date.now,
  ) {
    this.perSecond = options.perSecond ?? 20;
    this.burst = options.burst ?? 100;
    this.maxClients = options.maxClients ?? 10_000;
    if (!(this.perSecond > 0) || !(this.burst >= 1))
      throw new RangeError("rate limit needs perSecond > 0 and burst >= 1");
  }

  /** Takes a token for the client `key` (see `createClientKey`); returns 0 when allowed, else the seconds to wait. */
  take(key: string | number): number {
    const now = this.now();
    this.sweep(now);
    const b = this.buckets.get(key);
    let tokens = this.burst;
    if (b) {
      tokens = Math.min(this.burst, b.tokens + ((now - b.at) / 1000) * this.perSecond);
      this.buckets.delete(key);
    }
    if (tokens < 1) {
      this.buckets.set(key, { tokens, at: now });
      return Math.max(1, Math.ceil((1 - tokens) / this.perSecond));
    }
    this.buckets.set(key, { tokens: tokens - 1, at: now });
    if (this.buckets.size > this.maxClients) {
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
    return 0;
  }

  /** Clients currently tracked (for tests and metrics). */
  get size(): number {
    return this.buckets.size;
  }

  private sweep(now: number): void {
    const fullAfterMs = (this.burst / this.perSecond) * 1000;
    if (now - this.lastSweep < Math.min(fullAfterMs, 10_000)) return;
    this.lastSweep = now;
    // Map order is least-recently-used first, so stop at the first bucket that is still refilling.
    for (const [key, b] of this.buckets) {
      if (now - b.at < fullAfterMs) break;
      this.buckets.delete(key);
    }
  }
}
