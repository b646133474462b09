import { createHtmlInjector, type HtmlInjectorOptions, type InjectionOutcome } from "./html-injector.js";
import {
  DEFAULT_PROLOGUE_WINDOW,
  type FinishDecision,
  type InsertionPosition,
  InsertionScanner,
  type ScanDecision,
} from "./insertion-scanner.js";

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

/**
 * {@link findInsertionPoint} on a string: the UTF-16 index where the snippet goes, or -1. The string is encoded
 * slice by slice only as far as the decision needs, so a page whose head is near its start costs a few kB of work,
 * whatever its length.
 */
export function findInsertionIndex(
  html: string,
  position: InsertionPosition = "head-end",
  prologueWindow = DEFAULT_PROLOGUE_WINDOW,
): number {
  const scanner = new InsertionScanner(position, prologueWindow);
  const encoded: Buffer[] = [];
  let chars = 0;
  let bytes = 0;
  let decision: ScanDecision | FinishDecision = { kind: "continue" };
  for (let size = FIRST_SLICE; decision.kind === "continue" && chars < html.length; size *= 4) {
    let end = Math.min(html.length, chars + size);
    // Never split a surrogate pair between slices.
    const last = html.charCodeAt(end - 1);
    if (end < html.length && last >= 0xd800 && last <= 0xdbff) end++;
    const slice = Buffer.from(html.slice(chars, end), "utf8");
    encoded.push(slice);
    chars = end;
    bytes += slice.length;
    decision = scanner.feed(slice);
  }
  if (decision.kind === "continue") decision = scanner.finish();
  if (decision.kind !== "insert") return -1;
  // All ASCII so far: bytes are characters. Else the offset, at an ASCII byte (a tag boundary), is decoded to one.
  if (bytes === chars) return decision.at;
  return Buffer.concat(encoded).toString("utf8", 0, decision.at).length;
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
