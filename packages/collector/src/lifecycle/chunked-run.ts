import { type LongOperationOptions, OperationInterrupted } from "./long-operation.js";

/** How long one chunk may hold the store's write lock. */
export const CHUNK_BUDGET_MS = 100;
const FIRST_LIMIT = 1_000;
const MIN_LIMIT = 50;
const MAX_LIMIT = 100_000;
/** Share of the budget a chunk is sized for, leaving room for a slower one. */
const TARGET_SHARE = 0.75;

export interface ChunkedRun {
  /** What is running, e.g. "retention" (shown in progress and in the interruption message). */
  task: string;
  /** Units (rows) to do in all, when known. */
  total: number | null;
  /**
   * One short transaction over at most `limit` units; returns the units it did and whether nothing is left.
   */
  chunk(limit: number): Promise<{ done: number; finished: boolean }>;
}

export interface ChunkedRunTuning {
  budgetMs?: number;
  now?: () => number;
}

/**
 * Runs `run.chunk` until it reports nothing left, sizing each chunk from the last one's pace to fit in `budgetMs`
 * (growing at most twofold per chunk) and yielding to other work between chunks. Reports progress after each
 * chunk and stops with `OperationInterrupted` once `options.signal` is aborted. Returns the units done.
 */
export async function runInChunks(
  run: ChunkedRun,
  options: LongOperationOptions = {},
  tuning: ChunkedRunTuning = {},
): Promise<number> {
  const budget = tuning.budgetMs ?? CHUNK_BUDGET_MS;
  const now = tuning.now ?? performance.now.bind(performance);
  let limit = FIRST_LIMIT;
  let done = 0;
  for (;;) {
    if (options.signal?.aborted) throw new OperationInterrupted(run.task);
    const started = now();
    const step = await run.chunk(limit);
    const took = now() - started;
    done += step.done;
    options.onProgress?.({
      task: run.task,
      done,
      total: run.total === null ? null : Math.max(run.total, done),
    });
    if (step.finished) return done;
    // Aimed at three quarters of the budget from this chunk's pace, growing at most twofold per chunk.
    const aimed = took > 0 ? Math.floor((limit * budget * TARGET_SHARE) / took) : limit * 2;
    limit = Math.max(MIN_LIMIT, Math.min(MAX_LIMIT, limit * 2, aimed));
    // Lets the collector's writes and reads in between chunks.
    await new Promise((resolve) => setImmediate(resolve));
  }
}
