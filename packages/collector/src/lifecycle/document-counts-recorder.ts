import type { CollectedEvent } from "../destinations/types.js";
import type { ServedCount } from "../pipeline/validate-documents.js";
import type { DocumentHourCounts, EventStore } from "../store/types.js";
import { PeriodicWrite, storeOpened } from "./periodic-write.js";

const HOUR_MS = 3_600_000;
/** Distinct site/path/hour keys held between writes; later paths are counted under {@link OTHER_PATH}. */
const MAX_KEYS = 50_000;
/** Where paths beyond the limit are counted (the injector uses the same name for its own limit). */
export const OTHER_PATH = "(other)";

export interface DocumentCountsRecorderOptions {
  store: EventStore;
  ready: Promise<void>;
  onError: (message: string, err?: unknown) => void;
  /** How often the counts are written, ms. Default 60000. */
  intervalMs?: number;
}

/** The page a pageview's path belongs to: without the `#/…` route of hash-routed apps (the server never sees it). */
function documentPath(path: string): string {
  const hash = path.indexOf("#");
  return hash < 0 ? path : path.slice(0, hash);
}

/**
 * Sums pages served (from the injector) and first pageviews stored (from the store destination) per site, path
 * and hour in memory, and adds them to the store's `document_counts` every minute and when the collector flushes
 * or closes. A failed write is reported and its counts are kept for the next one.
 */
export class DocumentCountsRecorder {
  private pending = new Map<string, DocumentHourCounts>();
  private readonly periodic: PeriodicWrite;

  constructor(private readonly options: DocumentCountsRecorderOptions) {
    this.periodic = new PeriodicWrite(() => this.write(), options.intervalMs);
  }

  start(): void {
    if (this.options.store.addDocumentCounts) this.periodic.start();
  }

  /** Adds pages the injector served with the snippet. */
  served(counts: readonly ServedCount[]): void {
    for (const c of counts) this.add(c.site, c.path, c.hour, c.count, 0);
  }

  /** Adds the first pageviews among events the store wrote. */
  reported(events: readonly CollectedEvent[]): void {
    for (const { row, firstView } of events) {
      if (!firstView || row.type !== "pageview" || row.path === null) continue;
      this.add(row.site, documentPath(row.path), Math.floor(row.ts / HOUR_MS) * HOUR_MS, 0, 1);
    }
  }

  private add(site: string, path: string, hour: number, served: number, reported: number): void {
    let key = `${hour}\n${site}\n${path}`;
    let counts = this.pending.get(key);
    if (counts === undefined && this.pending.size >= MAX_KEYS) {
      path = OTHER_PATH;
      key = `${hour}\n${site}\n${path}`;
      counts = this.pending.get(key);
    }
    if (counts === undefined) this.pending.set(key, { site, path, hour, served, reported });
    else {
      counts.served += served;
      counts.reported += reported;
    }
  }

  /** Writes the counts gathered so far; resolves when they are written (or failed and were reported). */
  record(): Promise<void> {
    return this.periodic.now();
  }

  /** Stops the timer and writes what is left. */
  stop(): Promise<void> {
    return this.periodic.stop();
  }

  private async write(): Promise<void> {
    const { store } = this.options;
    if (!store.addDocumentCounts || this.pending.size === 0) return;
    if (!(await storeOpened(this.options.ready))) return;
    const rows = [...this.pending.values()];
    this.pending = new Map();
    try {
      await store.addDocumentCounts(rows);
    } catch (error) {
      for (const r of rows) this.add(r.site, r.path, r.hour, r.served, r.reported);
      this.options.onError("could not record the page counts", error);
    }
  }
}
