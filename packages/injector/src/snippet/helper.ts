import type { HelperDelegate } from "handlebars";
import type { Snippet, SnippetHtmlOptions } from "../types.js";

/** A snippet, `null` when analytics is off, or a function returning one (read at render time). */
export type SnippetSource = Snippet | null | undefined | (() => Snippet | null | undefined);

/** The parts of a Handlebars instance the helper needs (the app's own `handlebars` import fits). */
export interface HandlebarsLike {
  registerHelper(name: string, fn: HelperDelegate): void;
  SafeString: new (html: string) => unknown;
}

interface HelperOptionsLike {
  hash?: Record<string, unknown>;
  data?: { root?: Record<string, unknown> };
}

/**
 * A Handlebars helper printing the snippet: `{{{trackletSnippet}}}`, `{{{trackletSnippet nonce=cspNonce}}}`,
 * `{{{trackletSnippet mode="external" bootstrapPath="/tracklet/bootstrap.js"}}}`. Without `nonce=`, the
 * template context's `cspNonce` (helmet's convention, via `res.locals`) is used when present. Prints nothing
 * when the snippet is `null`. With `handlebars` given the result is a SafeString, so `{{…}}` works too.
 */
export function snippetHelper(source: SnippetSource, handlebars?: Pick<HandlebarsLike, "SafeString">) {
  return (...args: unknown[]): unknown => {
    const options = (args[args.length - 1] ?? {}) as HelperOptionsLike;
    const snippet = typeof source === "function" ? source() : source;
    if (!snippet) return "";
    const hash = options.hash ?? {};
    const fromContext = options.data?.root?.cspNonce;
    const nonce = hash.nonce ?? (typeof fromContext === "string" ? fromContext : undefined);
    const htmlOptions: SnippetHtmlOptions = {};
    if (nonce !== undefined && nonce !== null && nonce !== "") htmlOptions.nonce = String(nonce);
    if (hash.mode !== undefined) htmlOptions.mode = hash.mode as SnippetHtmlOptions["mode"];
    if (hash.bootstrapPath !== undefined) htmlOptions.bootstrapPath = String(hash.bootstrapPath);
    const html = snippet.html(htmlOptions);
    return handlebars ? new handlebars.SafeString(html) : html;
  };
}

/** Register {@link snippetHelper} on the app's Handlebars instance as `name` (default `trackletSnippet`). */
export function registerTrackletHelper(
  handlebars: HandlebarsLike,
  snippet: SnippetSource,
  name = "trackletSnippet",
): void {
  handlebars.registerHelper(name, snippetHelper(snippet, handlebars));
}
