/** Messages between `WriterThread` (main thread) and the SQLite writer thread. */
export type WriterRequest =
  | {
      type: "insert";
      seq: number;
      /** Which store (one connection each); `path` opens it on first use or after a thread restart. */
      store: number;
      path: string;
      /** Rows flattened in `EVENT_COLUMNS` order. */
      values: unknown[];
    }
  | { type: "close"; seq: number; store: number };

export interface WriterReply {
  seq: number;
  error?: { message: string; code?: string };
}
