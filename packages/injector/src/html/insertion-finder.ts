import { scanInsertionIndex } from "./inject-html.js";
import { DEFAULT_PROLOGUE_WINDOW, type InsertionPosition } from "./insertion-scanner.js";

export interface InsertionFinderOptions {
  /** Decisions remembered (default 16). */
  size?: number;
  /** Longest prefix remembered, in characters (default 16 Ki): bounds the memory kept. */
  maxPrefix?: number;
  prologueWindow?: number;
}

/** A copy of `text` that does not keep the string it was sliced from alive. */
function detached(text: string): string {
  return Buffer.from(text, "utf16le").toString("utf16le");
}

/**
 * `findInsertionIndex` for whole pages, remembering its last decisions by the characters each one read.
 * Pages rendered from one layout share their head, so most are answered by one `startsWith`. Exact: the scanner
 * decides from what it has read so far, so a page starting with the same characters gets the same answer.
 */
export function createInsertionFinder(
  position: InsertionPosition = "head-end",
  options: InsertionFinderOptions = {},
): (html: string) => number {
  const size = Math.max(1, options.size ?? 16);
  const maxPrefix = options.maxPrefix ?? 16 * 1024;
  const prologueWindow = options.prologueWindow ?? DEFAULT_PROLOGUE_WINDOW;
  const prefixes: string[] = [];
  const answers: number[] = [];
  let next = 0;
  return function findInsertion(html: string): number {
    for (let i = 0; i < prefixes.length; i++) {
      if (html.startsWith(prefixes[i] as string)) return answers[i] as number;
    }
    const { at, read } = scanInsertionIndex(html, position, prologueWindow);
    if (read > 0 && read <= maxPrefix) {
      prefixes[next] = detached(html.slice(0, read));
      answers[next] = at;
      next = (next + 1) % size;
    }
    return at;
  };
}
