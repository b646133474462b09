import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { encodeRows, type WriterMessage, type WriterReply, type WriterRequest } from "./writer-protocol.js";

/** A request before it is numbered. */
type Unnumbered<T> = T extends unknown ? Omit<T, "seq"> : never;
type Request = Unnumbered<WriterRequest>;

/** A write that failed in the writer thread; `code` is SQLite's (`SQLITE_BUSY`, …) when there was one. */
export class SqliteWriteError extends Error {
  readonly code: string | undefined;
  constructor(message: string, code?: string) {
    super(message);
    this.name = "SqliteWriteError";
    this.code = code;
  }
}

/**
 * The process's SQLite writer thread, shared by every file-backed `SqliteStore` (one connection each inside
 * it). Started on first use; restarted on the next request after a crash (pending requests reject, so the
 * write queue retries them). It keeps the process alive only while a request is pending.
 */
export class WriterThread {
  private worker: Worker | undefined;
  private seq = 0;
  private readonly pending = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();

  /**
   * Sends one request; resolves when the writer thread has carried it out (an insert is committed). Insert
   * values travel as `EncodedRows`.
   */
  request(request: Request): Promise<void> {
    const worker = this.started();
    const seq = ++this.seq;
    return new Promise<void>((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      worker.ref();
      if (request.type === "insert") {
        const rows = encodeRows(request.values, request.rowWidth);
        const message: WriterMessage = {
          type: "insert",
          seq,
          store: request.store,
          path: request.path,
          rows,
        };
        // Typed arrays created here own plain ArrayBuffers: transferred, not copied.
        worker.postMessage(message, [rows.kinds.buffer as ArrayBuffer, rows.numbers.buffer as ArrayBuffer]);
      } else {
        worker.postMessage({ ...request, seq } satisfies WriterMessage);
      }
    });
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = startWriter();
    worker.on("message", (reply: WriterReply) => {
      const waiting = this.pending.get(reply.seq);
      if (!waiting) return;
      this.pending.delete(reply.seq);
      if (this.pending.size === 0) worker.unref();
      if (reply.error) waiting.reject(new SqliteWriteError(reply.error.message, reply.error.code));
      else waiting.resolve();
    });
    worker.on("error", () => {
      // Followed by "exit", which fails what is pending.
    });
    worker.on("exit", (code) => {
      if (this.worker === worker) this.worker = undefined;
      const failed = [...this.pending.values()];
      this.pending.clear();
      for (const p of failed)
        p.reject(new SqliteWriteError(`the SQLite writer thread stopped (exit code ${code})`));
    });
    worker.unref();
    this.worker = worker;
    return worker;
  }
}

/** The writer thread's entry: the built `sqlite-writer.js` beside this module, or its TypeScript source. */
function startWriter(): Worker {
  const here = import.meta.url;
  if (!/\.[cm]?ts$/.test(new URL(here).pathname))
    return new Worker(new URL("./sqlite-writer.js", here), { execArgv: threadExecArgv() });
  // Running from sources (tests, tsx): load the TypeScript entry through tsx's loader inside the thread.
  const entry = new URL("./sqlite-writer.ts", here).href;
  const loader = pathToFileURL(
    createRequire(here)
      .resolve("tsx/esm/api")
      .replace(/\.cjs$/, ".mjs"),
  ).href;
  return new Worker(
    `import(${JSON.stringify(loader)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`,
    { eval: true, execArgv: threadExecArgv() },
  );
}

/** The process's Node options minus those only meaningful for a main script given inline (`node -e`). */
function threadExecArgv(): string[] {
  const out: string[] = [];
  const args = process.execArgv;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === "-e" || arg === "--eval" || arg === "-p" || arg === "--print") i++;
    else if (!arg.startsWith("--input-type") && !arg.startsWith("--eval=") && !arg.startsWith("--print="))
      out.push(arg);
  }
  return out;
}

let shared: WriterThread | undefined;

/** The process-wide writer thread (created lazily, started on first request). */
export function sharedWriterThread(): WriterThread {
  shared ??= new WriterThread();
  return shared;
}
