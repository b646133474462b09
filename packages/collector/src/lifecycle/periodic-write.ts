/**
 * Runs `write` every `intervalMs` (default a minute) once started, and on demand, one write at a time: the
 * counts recorders use it to hand their in-memory sums to the store.
 */
export class PeriodicWrite {
  private writing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly write: () => Promise<void>,
    private readonly intervalMs = 60_000,
  ) {}

  /** Starts the timer (it does not keep the process alive). */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.now(), this.intervalMs);
    this.timer.unref();
  }

  /** Writes after the writes already under way; resolves when done (a write reports its own failures). */
  now(): Promise<void> {
    this.writing = this.writing.then(() => this.write());
    return this.writing;
  }

  /** Stops the timer and writes what is left. */
  stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    return this.now();
  }
}

/** Whether the store opened: one that failed was reported when it failed, and there is nowhere to write. */
export function storeOpened(ready: Promise<void>): Promise<boolean> {
  return ready.then(
    () => true,
    () => false,
  );
}
