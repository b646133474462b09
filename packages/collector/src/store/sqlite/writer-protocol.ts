/** Requests `WriterThread` takes on the main thread. */
export type WriterRequest =
  | {
      type: "insert";
      seq: number;
      /** Which store (one connection each); `path` opens it on first use or after a thread restart. */
      store: number;
      path: string;
      /** Rows flattened in `EVENT_COLUMNS` order. */
      values: unknown[];
      /** Values per row (`EVENT_COLUMNS.length`). */
      rowWidth: number;
    }
  | { type: "close"; seq: number; store: number };

/** What travels to the writer thread: an insert's values as `EncodedRows`. */
export type WriterMessage =
  | { type: "insert"; seq: number; store: number; path: string; rows: EncodedRows }
  | { type: "close"; seq: number; store: number };

export interface WriterReply {
  seq: number;
  error?: { message: string; code?: string };
}

/**
 * Flat row values in a compact form for `postMessage`: each distinct string once, and one kind byte plus one
 * number per value. Event rows repeat most strings (site, type, URL, path, title, browser, visitor and session
 * ids within a batch), so the structured clone copies a short string table and two typed arrays (transferred,
 * not copied) instead of one tagged value per cell, and the writer thread builds a few strings instead of all.
 */
export interface EncodedRows {
  /** Distinct strings, in order of first appearance. */
  strings: string[];
  /** Per value: `KIND_NUMBER`, `KIND_NULL`, `KIND_STRING` (index into `strings`) or `KIND_OTHER`. */
  kinds: Uint8Array;
  /** Per value: the number, or the index into `strings` / `others`. */
  numbers: Float64Array;
  /** Values of any other type (booleans, bigints, undefined, buffers), structured-cloned as they are. */
  others: unknown[];
}

export const KIND_NUMBER = 0;
export const KIND_NULL = 1;
export const KIND_STRING = 2;
export const KIND_OTHER = 3;

/**
 * Encodes flat values; `decodeRows(encodeRows(v))` equals `v` for any structured-cloneable values. With `rowWidth`,
 * a string equal to the one a row above is found without hashing it (most repeats are a column's: site, type,
 * browser, or one request's visitor and session).
 */
export function encodeRows(values: readonly unknown[], rowWidth = 0): EncodedRows {
  const n = values.length;
  const kinds = new Uint8Array(n);
  const numbers = new Float64Array(n);
  const strings: string[] = [];
  const others: unknown[] = [];
  const index = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (typeof v === "string") {
      if (rowWidth > 0 && i >= rowWidth && v === values[i - rowWidth]) {
        kinds[i] = KIND_STRING;
        numbers[i] = numbers[i - rowWidth] as number;
        continue;
      }
      let at = index.get(v);
      if (at === undefined) {
        at = strings.length;
        strings.push(v);
        index.set(v, at);
      }
      kinds[i] = KIND_STRING;
      numbers[i] = at;
    } else if (typeof v === "number") {
      numbers[i] = v;
    } else if (v === null) {
      kinds[i] = KIND_NULL;
    } else {
      kinds[i] = KIND_OTHER;
      numbers[i] = others.length;
      others.push(v);
    }
  }
  return { strings, kinds, numbers, others };
}

/** The flat values back, in order. */
export function decodeRows(rows: EncodedRows): unknown[] {
  const { strings, kinds, numbers, others } = rows;
  const n = kinds.length;
  const values = new Array<unknown>(n);
  for (let i = 0; i < n; i++) {
    const kind = kinds[i];
    values[i] =
      kind === KIND_NUMBER
        ? numbers[i]
        : kind === KIND_STRING
          ? strings[numbers[i] as number]
          : kind === KIND_NULL
            ? null
            : others[numbers[i] as number];
  }
  return values;
}
