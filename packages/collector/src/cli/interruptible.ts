import { OperationInterrupted } from "../lifecycle/long-operation.js";

/** Exit code of a command stopped by Ctrl-C (128 + SIGINT). */
export const INTERRUPTED_EXIT = 130;

/**
 * Runs a long operation that Ctrl-C (or SIGTERM) stops cleanly: the first signal aborts `signal`, and the
 * operation ends after its current chunk with `OperationInterrupted`. `given` replaces the process signals
 * (tests, embedding).
 */
export async function interruptible<T>(
  run: (signal: AbortSignal) => Promise<T>,
  onStopping: () => void,
  given?: AbortSignal,
): Promise<T> {
  if (given) return run(given);
  const controller = new AbortController();
  const stop = () => {
    if (controller.signal.aborted) return;
    onStopping();
    controller.abort();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  try {
    return await run(controller.signal);
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  }
}

export function isInterrupted(err: unknown): err is OperationInterrupted {
  return err instanceof OperationInterrupted;
}
