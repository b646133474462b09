import { type FileHandle, mkdir, open } from "node:fs/promises";
import { dirname } from "node:path";
import type { BatchQueueTuning } from "./batch-queue.js";
import { queuedDestination } from "./queued-destination.js";
import type { Destination, DestinationErrorHandler } from "./types.js";

export interface JsonLinesDestinationOptions {
  /** File appended to (created with its directory when missing). */
  path: string;
  /** Batching and retries (defaults: a write every 100 events or every second, 100,000 held, oldest dropped). */
  queue?: BatchQueueTuning;
  onError?: DestinationErrorHandler;
}

/**
 * Appends one JSON object (the stored row) per line. Each batch is one `write` on a file opened with
 * `O_APPEND`, so lines never interleave mid-line, even with several writers on one file. A failed write is
 * retried with the same lines.
 */
export function jsonLinesDestination(options: JsonLinesDestinationOptions): Destination {
  if (typeof options?.path !== "string" || options.path === "") {
    throw new TypeError("jsonLinesDestination: options.path must be a file path");
  }
  let handle: Promise<FileHandle> | undefined;
  const file = (): Promise<FileHandle> => {
    handle ??= mkdir(dirname(options.path), { recursive: true }).then(() => open(options.path, "a"));
    // A failed open is tried again on the next attempt.
    handle.catch(() => {
      handle = undefined;
    });
    return handle;
  };
  return queuedDestination<string>({
    name: "json-lines",
    whenFull: "drop-oldest",
    capacity: 100_000,
    ...options.queue,
    onError: options.onError,
    map: (event) => `${JSON.stringify(event.row)}\n`,
    async send(lines) {
      await (await file()).write(lines.join(""));
    },
    async release() {
      const fh = await handle?.catch(() => undefined);
      handle = undefined;
      if (!fh) return;
      try {
        await fh.sync();
      } finally {
        await fh.close();
      }
    },
  });
}
