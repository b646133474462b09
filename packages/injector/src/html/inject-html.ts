import { createHtmlInjector, type HtmlInjectorOptions, type InjectionOutcome } from "./html-injector.js";
import { DEFAULT_PROLOGUE_WINDOW, type InsertionPosition, InsertionScanner } from "./insertion-scanner.js";

/**
 * Where a whole document gets the snippet: the byte offset, or -1 when it already carries the snippet or has no
 * place for it. The same rules and result as {@link createHtmlInjector} fed the document in one chunk.
 */
export function findInsertionPoint(
  html: Uint8Array,
  position: InsertionPosition = "head-end",
  prologueWindow = DEFAULT_PROLOGUE_WINDOW,
): number {
  const scanner = new InsertionScanner(position, prologueWindow);
  const decision = scanner.feed(html);
  if (decision.kind === "insert") return decision.at;
  if (decision.kind === "already-present") return -1;
  const end = scanner.finish();
  return end.kind === "insert" ? end.at : -1;
}

/** Characters encoded by {@link findInsertionIndex}'s first step (a page's head usually fits), then 4× more each step. */
const FIRST_SLICE = 1024;

/** Where the snippet goes in a string, and how much of it the decision read. */
export interface StringInsertion {
  /** UTF-16 index of the insertion point, or -1 (already carries the snippet, or no place for it). */
  at: number;
  /**
   * Characters read before the decision: any string starting with the same `read` characters gets the same `at`.
   * -1 when the decision needed the whole string.
   */
  read: number;
}

/**
 * {@link findInsertionIndex}, also telling how much of the string the decision read. The string is encoded slice by
 * slice only as far as the decision needs, so a page whose head is near its start costs a few kB of work, whatever
 * its length.
 */
export function scanInsertionIndex(
  html: string,
  position: InsertionPosition = "head-end",
  prologueWindow = DEFAULT_PROLOGUE_WINDOW,
): StringInsertion {
  const scanner = new InsertionScanner(position, prologueWindow);
  // Each encoded slice: its first character's index, its first byte's offset, its bytes.
  const slices: { char: number; byte: number; bytes: Buffer; ascii: boolean }[] = [];
  let byte = 0;
  let size = FIRST_SLICE;
  const indexOf = (at: number): number => {
    for (let k = slices.length - 1; k >= 0; k--) {
      const slice = slices[k] as (typeof slices)[number];
      if (at < slice.byte) continue;
      const offset = at - slice.byte;
      // Offsets here are at ASCII bytes (tag boundaries), never inside a character; ASCII-only slices map one to one.
      if (slice.ascii || offset === 0) return slice.char + offset;
      return slice.char + slice.bytes.subarray(0, offset).toString("utf8").length;
    }
    return 0;
  };
  for (let char = 0; char < html.length; ) {
    let end = Math.min(html.length, char + size);
    size *= 4;
    // Never split a surrogate pair between slices.
    const last = html.charCodeAt(end - 1);
    if (end < html.length && last >= 0xd800 && last <= 0xdbff) end++;
    const bytes = Buffer.from(html.slice(char, end), "utf8");
    slices.push({ char, byte, bytes, ascii: bytes.length === end - char });
    const decision = scanner.feed(bytes);
    if (decision.kind !== "continue") {
      const read = indexOf(scanner.offset);
      return { at: decision.kind === "insert" ? indexOf(decision.at) : -1, read };
    }
    byte += bytes.length;
    char = end;
  }
  const end = scanner.finish();
  if (end.kind !== "insert") return { at: -1, read: -1 };
  return { at: end.at >= byte ? html.length : indexOf(end.at), read: -1 };
}

/** {@link findInsertionPoint} on a string: the UTF-16 index where the snippet goes, or -1. */
export function findInsertionIndex(
  html: string,
  position: InsertionPosition = "head-end",
  prologueWindow = DEFAULT_PROLOGUE_WINDOW,
): number {
  return scanInsertionIndex(html, position, prologueWindow).at;
}

/** The injected document and what happened. */
export interface InjectionResult {
  body: Buffer;
  outcome: Exclude<InjectionOutcome, "pending">;
}

/** One-shot {@link injectHtml} on bytes, also telling whether the snippet went in. */
export function injectHtmlBuffer(
  html: Uint8Array,
  snippetHtml: string | Uint8Array,
  options: HtmlInjectorOptions = {},
): InjectionResult {
  const injector = createHtmlInjector(snippetHtml, options);
  const parts = [...injector.push(html), ...injector.end()];
  const outcome = injector.outcome === "pending" ? "no-insertion-point" : injector.outcome;
  return { body: Buffer.concat(parts), outcome };
}

/**
 * Puts `snippetHtml` at the insertion point of a whole document (same rules as {@link createHtmlInjector}).
 * Returns the same type it was given; a document that already carries the snippet comes back unchanged.
 */
export function injectHtml(html: string, snippetHtml: string, options?: HtmlInjectorOptions): string;
export function injectHtml(
  html: Uint8Array,
  snippetHtml: string | Uint8Array,
  options?: HtmlInjectorOptions,
): Buffer;
export function injectHtml(
  html: string | Uint8Array,
  snippetHtml: string | Uint8Array,
  options: HtmlInjectorOptions = {},
): string | Buffer {
  if (typeof html === "string") {
    const at = findInsertionIndex(html, options.position, options.prologueWindow);
    if (at < 0) return html;
    const snippet = typeof snippetHtml === "string" ? snippetHtml : Buffer.from(snippetHtml).toString("utf8");
    return html.slice(0, at) + snippet + html.slice(at);
  }
  return injectHtmlBuffer(html, snippetHtml, options).body;
}
