import type { EventStore } from "../store/types.js";
import { OperationInterrupted } from "./long-operation.js";

const DAY_MS = 86_400_000;

export interface RetentionJobOptions {
  store: Pick<EventStore, "deleteOlderThan">;
  /** Keep this many days of events. */
  days: number;
  /** Wait for this before the first run (the store's migrations). */
  ready?: Promise<void>;
  /** How often to run (default hourly). */
  everyMs?: number;
  now?: () => number;
  onError?: (message: string, err?: unknown) => void;
}

/** The cutoff for keeping `days` days: everything received before it is deleted. */
export function retentionCutoff(days: number, now: number): Date {
  return new Date(now - days * DAY_MS);
}

/**
 * Deletes events older than the retention period in the background: soon after start, then every `everyMs`,
 * on an unref'd timer (it never keeps the process alive). The store deletes in short chunks; `stop` ends a pass
 * in progress after its current chunk.
 */
export class RetentionJob {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  /** Aborted by `stop`, so a pass over millions of rows ends after its current chunk. */
  private abort = new AbortController();

  constructor(private readonly options: RetentionJobOptions) {
    if (!(options.days > 0))
      throw new RangeError(`retention days must be a positive number, got ${options.days}`);
  }

  start(): void {
    if (this.timer) return;
    const first = setTimeout(() => void this.runOnce().catch(() => {}), 5_000);
    first.unref();
    this.timer = setInterval(() => void this.runOnce().catch(() => {}), this.options.everyMs ?? 3_600_000);
    this.timer.unref();
    this.firstTimer = first;
  }

  private firstTimer: NodeJS.Timeout | undefined;

  stop(): void {
    clearInterval(this.timer);
    clearTimeout(this.firstTimer);
    this.timer = undefined;
    this.abort.abort();
    this.abort = new AbortController();
  }

  /** One pass; returns the number of events deleted. Overlapping calls share the pass in progress. */
  runOnce(): Promise<number> {
    this.running ??= (async () => {
      try {
        await this.options.ready;
        const now = (this.options.now ?? Date.now)();
        return await this.options.store.deleteOlderThan(retentionCutoff(this.options.days, now), {
          signal: this.abort.signal,
        });
      } catch (err) {
        if (!(err instanceof OperationInterrupted)) this.options.onError?.("retention pass failed", err);
        throw err;
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }
}
