import { type FileHandle, mkdir, open } from "node:fs/promises";
import { dirname } from "node:path";
import { safeJsonStringify } from "../tracker/safe-json.js";
import type { TrackerBackend, TrackerEvent } from "../tracker/types.js";

export interface JsonLinesBackendOptions {
  /** File appended to (created with its directory when missing). */
  path: string;
  /** Buffered bytes that trigger a write. Default 64 KiB. */
  bufferBytes?: number;
  /** Longest time an event waits in the buffer, ms (unref'd timer; 0 = only size and explicit flushes). Default 1000. */
  flushInterval?: number;
  /**
   * Cap on bytes held in memory while the file cannot be written; past it the oldest lines are dropped and
   * counted. Default 16 MiB.
   */
  maxBufferedBytes?: number;
}

export interface JsonLinesBackend extends TrackerBackend {
  flush(): Promise<void>;
  /** Flushes, fsyncs and closes the file. */
  close(): Promise<void>;
  /** Lines dropped because the file stayed unwritable past `maxBufferedBytes`. */
  readonly dropped: number;
}

/**
 * Appends one JSON object per line. Writes are buffered and serialised: each flush is one `write` on a file
 * opened with `O_APPEND`, so lines never interleave mid-line, even with several backends (or processes) on one
 * file. A failed write keeps its lines for the next flush and rejects, which the tracker reports.
 */
export function createJsonLinesBackend(options: JsonLinesBackendOptions): JsonLinesBackend {
  if (typeof options?.path !== "string" || options.path === "") {
    throw new TypeError("createJsonLinesBackend: options.path must be a file path");
  }
  const bufferBytes = options.bufferBytes ?? 64 * 1024;
  const flushInterval = options.flushInterval ?? 1000;
  const maxBufferedBytes = options.maxBufferedBytes ?? 16 * 1024 * 1024;
  let lines: string[] = [];
  let buffered = 0;
  let dropped = 0;
  let handle: Promise<FileHandle> | undefined;
  let chain: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const file = (): Promise<FileHandle> => {
    handle ??= mkdir(dirname(options.path), { recursive: true }).then(() => open(options.path, "a"));
    // A failed open is retried on the next flush.
    handle.catch(() => {
      handle = undefined;
    });
    return handle;
  };

  const write = async (chunkLines: string[]): Promise<void> => {
    const chunk = chunkLines.join("");
    try {
      const fh = await file();
      await fh.write(chunk);
    } catch (error) {
      // Put the lines back in front, keeping the newest within the memory cap.
      lines = [...chunkLines, ...lines];
      buffered += Buffer.byteLength(chunk);
      while (buffered > maxBufferedBytes && lines.length > 0) {
        buffered -= Buffer.byteLength(lines.shift() ?? "");
        dropped += 1;
      }
      throw error;
    }
  };

  const flush = (): Promise<void> => {
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    if (lines.length > 0) {
      const chunkLines = lines;
      lines = [];
      buffered = 0;
      chain = chain.catch(() => undefined).then(() => write(chunkLines));
    }
    return chain;
  };

  return {
    get dropped() {
      return dropped;
    },
    send(event: TrackerEvent) {
      if (closed) return;
      const line = `${safeJsonStringify(event)}\n`;
      lines.push(line);
      buffered += Buffer.byteLength(line);
      if (buffered >= bufferBytes) return flush();
      if (flushInterval > 0 && !timer) {
        timer = setTimeout(() => {
          timer = undefined;
          flush().catch(() => undefined);
        }, flushInterval);
        timer.unref();
      }
    },
    flush,
    async close() {
      if (closed) return;
      closed = true;
      try {
        await flush();
      } finally {
        if (handle) {
          const fh = await handle.catch(() => undefined);
          handle = undefined;
          if (fh) {
            try {
              await fh.sync();
            } finally {
              await fh.close();
            }
          }
        }
      }
    },
  };
}
