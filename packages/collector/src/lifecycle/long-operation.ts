/** Options every long store operation accepts (rollup backfill, migrations, retention, erasure). */
export interface LongOperationOptions {
  /** Called after each chunk with the units done so far and the total (null when unknown). */
  onProgress?: (progress: LongOperationProgress) => void;
  /** Checked between chunks: each chunk is its own transaction, so stopping leaves the store consistent. */
  signal?: AbortSignal;
}

export interface LongOperationProgress {
  /** What is running, e.g. "rollup backfill", "retention". */
  task: string;
  done: number;
  total: number | null;
}

/** Thrown by a long operation that stopped because its signal was aborted. */
export class OperationInterrupted extends Error {
  constructor(task: string) {
    super(`${task} interrupted; the store is consistent and the operation resumes where it stopped`);
    this.name = "OperationInterrupted";
  }
}
