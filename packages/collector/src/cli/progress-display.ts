import { SingleBar } from "cli-progress";
import type { LongOperationProgress } from "../lifecycle/long-operation.js";

/** Where progress goes: a terminal gets a bar, anything else (logs, pipes) a line now and then. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface ProgressDisplay {
  /** Pass as a long operation's `onProgress`. */
  update(progress: LongOperationProgress): void;
  /** Ends the display (the bar's line, or a last line with the figures reached). */
  stop(): void;
}

export interface ProgressDisplayOptions {
  /** Least time between two lines when not on a terminal (default 5 s). */
  lineEveryMs?: number;
  now?: () => number;
}

/** A bar on a terminal, periodic `task: done/total (n%)` lines otherwise. */
export function progressDisplay(
  stream: ProgressStream,
  options: ProgressDisplayOptions = {},
): ProgressDisplay {
  return stream.isTTY ? barDisplay(stream) : lineDisplay(stream, options);
}

function barDisplay(stream: ProgressStream): ProgressDisplay {
  let bar: SingleBar | undefined;
  let task = "";
  return {
    update(p) {
      if (bar && p.task !== task) bar.stop();
      if (!bar || p.task !== task) {
        task = p.task;
        bar = new SingleBar({
          stream: stream as NodeJS.WritableStream,
          format: `${p.task} [{bar}] {percentage}% | {value}/{total} | ETA {eta_formatted}`,
          hideCursor: true,
        });
        bar.start(p.total ?? 0, p.done);
      }
      if (p.total !== null) bar.setTotal(p.total);
      bar.update(p.done);
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}

function lineDisplay(stream: ProgressStream, options: ProgressDisplayOptions): ProgressDisplay {
  const now = options.now ?? Date.now;
  const every = options.lineEveryMs ?? 5_000;
  let last: LongOperationProgress | undefined;
  let printed: LongOperationProgress | undefined;
  let printedAt = Number.NEGATIVE_INFINITY;
  const print = (p: LongOperationProgress) => {
    const share = p.total ? ` (${Math.floor((100 * p.done) / p.total)}%)` : "";
    stream.write(`${p.task}: ${p.done}${p.total === null ? "" : `/${p.total}`}${share}\n`);
    printed = p;
    printedAt = now();
  };
  return {
    update(p) {
      last = p;
      if (p.task !== printed?.task || now() - printedAt >= every) print(p);
    },
    stop() {
      if (last && (last.task !== printed?.task || last.done !== printed.done)) print(last);
      last = undefined;
    },
  };
}
