import type { IncomingMessage } from "node:http";
import { isBrowserDocument, requestHostname, requestPath } from "./browser-document.js";

/** Pages served with the snippet for one site, path and UTC hour: what the collector compares pageviews with. */
export interface DocumentCount {
  site: string;
  path: string;
  /** Start of the UTC hour, epoch milliseconds. */
  hour: number;
  count: number;
}

/** Receives document counts: `collector.recordDocuments` in one process, an HTTP post otherwise. */
export type DocumentSink = (counts: DocumentCount[]) => void | Promise<void>;

export interface DocumentCounterOptions {
  sink: DocumentSink;
  /** The site id the snippet reports (`analytics_site`); default: the request's hostname, as the SDK does. */
  site?: string | undefined;
  /** Whether the SDK sends pageviews for a path (`analytics_include`/`_exclude`); default: every path. */
  countsPath?: ((path: string) => boolean) | undefined;
  /** How often the counts are handed to the sink, ms. Default 30000. */
  intervalMs?: number | undefined;
  now?: () => number;
  onError: (error: unknown) => void;
}

const HOUR_MS = 3_600_000;
/** Distinct site/path/hour keys held between hand-overs; later paths are counted under {@link OTHER_PATH}. */
export const MAX_DOCUMENT_KEYS = 10_000;
export const OTHER_PATH = "(other)";
/** Longer paths are cut: the SDK sends URLs of at most 2048 characters. */
const MAX_PATH_LENGTH = 2048;
const SEPARATOR = "\n";
/** Counts per sink call: one request to the collector stays small (a few hundred KB at most). */
export const DOCUMENTS_PER_HANDOVER = 1000;

/**
 * Counts the pages the snippet went into, per site, path and hour, in memory (no visitor data at all), and hands
 * the sums to the sink every `intervalMs`. A sink that fails gets the counts again with the next hand-over.
 */
export class DocumentCounter {
  private counts = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private handing: Promise<void> = Promise.resolve();
  private readonly now: () => number;

  constructor(private readonly options: DocumentCounterOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Counts one page that carries the snippet, when a browser loads it as a document. */
  count(req: IncomingMessage): void {
    if (!isBrowserDocument(req)) return;
    const path = requestPath(req);
    // A page the SDK sends no pageview for cannot report: counting it would understate Coverage.
    if (this.options.countsPath && !this.options.countsPath(path)) return;
    const hour = Math.floor(this.now() / HOUR_MS) * HOUR_MS;
    const site = this.options.site ?? requestHostname(req);
    this.add(`${hour}${SEPARATOR}${site}${SEPARATOR}${path.slice(0, MAX_PATH_LENGTH)}`, 1);
    if (this.timer === undefined) {
      this.timer = setInterval(() => void this.flush(), this.options.intervalMs ?? 30_000);
      this.timer.unref();
    }
  }

  private add(key: string, count: number): void {
    const known = this.counts.get(key);
    if (known !== undefined) {
      this.counts.set(key, known + count);
      return;
    }
    let target = key;
    if (this.counts.size >= MAX_DOCUMENT_KEYS) {
      const [hour, site] = key.split(SEPARATOR);
      target = `${hour}${SEPARATOR}${site}${SEPARATOR}${OTHER_PATH}`;
    }
    this.counts.set(target, (this.counts.get(target) ?? 0) + count);
  }

  /** Hands the counts gathered so far to the sink; resolves when it took them (or failed and was reported). */
  flush(): Promise<void> {
    this.handing = this.handing.then(() => this.handOver());
    return this.handing;
  }

  /** Stops the timer and hands over what is left. */
  close(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    return this.flush();
  }

  private async handOver(): Promise<void> {
    if (this.counts.size === 0) return;
    const taken = this.counts;
    this.counts = new Map();
    const entries = [...taken];
    for (let start = 0; start < entries.length; start += DOCUMENTS_PER_HANDOVER) {
      const part = entries.slice(start, start + DOCUMENTS_PER_HANDOVER);
      const rows = part.map(([key, count]): DocumentCount => {
        const [hour, site, path] = key.split(SEPARATOR) as [string, string, string];
        return { site, path, hour: Number(hour), count };
      });
      try {
        await this.options.sink(rows);
      } catch (error) {
        // Only what the sink did not take is kept: the parts before this one are counted already.
        for (const [key, count] of entries.slice(start)) this.add(key, count);
        this.options.onError(error);
        return;
      }
    }
  }
}
