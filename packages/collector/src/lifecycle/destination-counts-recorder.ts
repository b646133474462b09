import type { DestinationMetrics } from "../destinations/types.js";
import type { DestinationCounts } from "../stats/types.js";
import type { DestinationHourCounts, EventStore } from "../store/types.js";
import { PeriodicWrite, storeOpened } from "./periodic-write.js";

const HOUR_MS = 3_600_000;

export interface DestinationCountsRecorderOptions {
  store: EventStore;
  ready: Promise<void>;
  destinations: ReadonlyArray<{ name: string; metrics(): DestinationMetrics }>;
  now: () => number;
  onError: (message: string, err?: unknown) => void;
  /** How often counts are written, ms. Default 60000. */
  intervalMs?: number;
}

type Counts = Omit<DestinationCounts, "destination">;

/** The figures the Destinations table shows, from a destination's counters since start. */
function countsOf(m: DestinationMetrics): Counts {
  return { collected: m.collected, forwarded: m.delivered, failed: m.failed, dropped: m.dropped + m.skipped };
}

/**
 * Writes what each destination did since the last write into the store's counts of the current UTC hour, every
 * minute and when the collector flushes or closes. A failed write is reported and its counts are kept for the
 * next one.
 */
export class DestinationCountsRecorder {
  private readonly written = new Map<string, Counts>();
  private readonly periodic: PeriodicWrite;

  constructor(private readonly options: DestinationCountsRecorderOptions) {
    this.periodic = new PeriodicWrite(() => this.writeNew(), options.intervalMs);
  }

  start(): void {
    if (this.options.store.addDestinationCounts) this.periodic.start();
  }

  /** Writes the counts not written yet; resolves when they are (or failed and were reported). */
  record(): Promise<void> {
    return this.periodic.now();
  }

  /** Stops the timer and writes what is left. */
  stop(): Promise<void> {
    return this.periodic.stop();
  }

  private async writeNew(): Promise<void> {
    const { store, destinations, now } = this.options;
    if (!store.addDestinationCounts) return;
    const hour = Math.floor(now() / HOUR_MS) * HOUR_MS;
    const current = new Map<string, Counts>();
    const rows: DestinationHourCounts[] = [];
    for (const destination of destinations) {
      const counts = countsOf(destination.metrics());
      const before = this.written.get(destination.name);
      const delta = {
        collected: counts.collected - (before?.collected ?? 0),
        forwarded: counts.forwarded - (before?.forwarded ?? 0),
        failed: counts.failed - (before?.failed ?? 0),
        dropped: counts.dropped - (before?.dropped ?? 0),
      };
      current.set(destination.name, counts);
      if (Object.values(delta).some((n) => n !== 0))
        rows.push({ destination: destination.name, hour, ...delta });
    }
    if (rows.length === 0 || !(await storeOpened(this.options.ready))) return;
    try {
      await store.addDestinationCounts(rows);
      for (const [name, counts] of current) this.written.set(name, counts);
    } catch (error) {
      this.options.onError("could not record the destination counts", error);
    }
  }
}
