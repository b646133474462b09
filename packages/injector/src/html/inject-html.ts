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
    return injectHtmlBuffer(Buffer.from(html, "utf8"), snippetHtml, options).body.toString("utf8");
  }
  return injectHtmlBuffer(html, snippetHtml, options).body;
}
