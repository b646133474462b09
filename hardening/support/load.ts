import { batchBody, pageview, post } from "./post.js";

/** One request of a load run: which events it carried and how it was answered. */
export interface SentBatch {
  first: number;
  count: number;
  status: number;
  sentAt: number;
  answeredAt: number;
}

export interface LoadRun {
  batches: SentBatch[];
  /** Resolves once every worker stopped (after `stop()`, with their last requests answered or failed). */
  done: Promise<void>;
  stop(): void;
}

/**
 * Sustained load: `workers` clients (each on its own loopback address) posting batches of `batchSize`
 * pageviews back to back, every event numbered (`props.seq`) so the store can be compared event by event.
 */
export function startLoad(
  collectUrl: string,
  options: { site: string; workers?: number; batchSize?: number; maxRequests?: number },
): LoadRun {
  const workers = options.workers ?? 4;
  const batchSize = options.batchSize ?? 20;
  const maxRequests = options.maxRequests ?? 20_000;
  const batches: SentBatch[] = [];
  let stopped = false;
  let nextSeq = 0;
  const worker = async (w: number) => {
    while (!stopped && batches.length < maxRequests) {
      const first = nextSeq;
      nextSeq += batchSize;
      const events = Array.from({ length: batchSize }, (_, i) => pageview(options.site, first + i));
      const sentAt = performance.now();
      const res = await post(collectUrl, batchBody(events), {
        localAddress: `127.0.4.${w + 1}`,
        timeoutMs: 5000,
      });
      batches.push({ first, count: batchSize, status: res.status, sentAt, answeredAt: performance.now() });
      // A refused connection (collector down) would spin: back off a little.
      if (res.status === 0) await new Promise((r) => setTimeout(r, 20));
    }
  };
  const done = Promise.all(Array.from({ length: workers }, (_, w) => worker(w))).then(() => undefined);
  return {
    batches,
    done,
    stop: () => {
      stopped = true;
    },
  };
}

/** Every event number carried by the given batches. */
export function seqsOf(batches: SentBatch[]): Set<number> {
  const seqs = new Set<number>();
  for (const b of batches) for (let i = 0; i < b.count; i++) seqs.add(b.first + i);
  return seqs;
}
