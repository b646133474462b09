import { type LongOperationOptions, OperationInterrupted } from "../lifecycle/long-operation.js";
import { MIGRATION_TASK } from "./types.js";

/**
 * Applies `total` pending migrations through `applyNext`, each its own transaction: progress after each, and a
 * stop between two when `signal` aborts (the next run goes on from there). `applyNext` answers false when another
 * process applied the rest meanwhile.
 */
export async function migrateInSteps(
  total: number,
  applyNext: () => boolean | Promise<boolean>,
  { onProgress, signal }: LongOperationOptions,
): Promise<void> {
  for (let done = 0; ; done++) {
    onProgress?.({ task: MIGRATION_TASK, done, total });
    if (done >= total) return;
    // Lets a stop signal in: a store may run each migration synchronously.
    await new Promise((resolve) => setImmediate(resolve));
    if (signal?.aborted) throw new OperationInterrupted(MIGRATION_TASK);
    if (!(await applyNext())) {
      onProgress?.({ task: MIGRATION_TASK, done: total, total });
      return;
    }
  }
}
