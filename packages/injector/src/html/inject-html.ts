import { createHtmlInjector, type HtmlInjectorOptions, type InjectionOutcome } from "./html-injector.js";

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
