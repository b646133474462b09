import type { LongOperationOptions, LongOperationProgress } from "../lifecycle/long-operation.js";

/** Seconds between progress lines. */
const LINE_EVERY_MS = 2_000;

export interface ProgressLineOptions {
  write(text: string): void;
  everyMs?: number;
  now?: () => number;
}

/** One line per progress report at most every `everyMs`, and the last one always ("retention: 4,200 of 10,000"). */
export function progressLines(options: ProgressLineOptions): {
  onProgress: (p: LongOperationProgress) => void;
  flush: () => void;
} {
  const every = options.everyMs ?? LINE_EVERY_MS;
  const now = options.now ?? Date.now;
  let lastLine = now();
  let pending: LongOperationProgress | undefined;
  const print = (p: LongOperationProgress) => {
    const of = p.total === null ? "" : ` of ${p.total.toLocaleString("en")}`;
    const percent = p.total ? ` (${Math.floor((p.done / p.total) * 100)}%)` : "";
    options.write(`${p.task}: ${p.done.toLocaleString("en")}${of}${percent}\n`);
    lastLine = now();
    pending = undefined;
  };
  return {
    onProgress: (p) => {
      pending = p;
      if (now() - lastLine >= every) print(p);
    },
    flush: () => {
      if (pending) print(pending);
    },
  };
}

/**
 * Progress lines on `write` and an abort signal raised by `interrupt` (Ctrl-C), for a CLI command running one long
 * operation; `dispose` prints the last progress and stops listening.
 */
export function cliLongOperation(
  write: (text: string) => void,
  interrupt: (onInterrupt: () => void) => () => void,
): LongOperationOptions & { dispose: () => void } {
  const controller = new AbortController();
  const lines = progressLines({ write });
  const stopListening = interrupt(() => {
    write("interrupted: finishing the current chunk…\n");
    controller.abort();
  });
  return {
    onProgress: lines.onProgress,
    signal: controller.signal,
    dispose: () => {
      lines.flush();
      stopListening();
    },
  };
}

/** Calls `onInterrupt` on the first SIGINT; returns a function that removes the handler. */
export function onSigint(onInterrupt: () => void): () => void {
  process.once("SIGINT", onInterrupt);
  return () => process.off("SIGINT", onInterrupt);
}
