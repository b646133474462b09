/**
 * Context-aware escaping for everything the dashboard writes into HTML or SVG. Page paths, referrers, event
 * props and user ids come from browsers and are hostile input: they only ever reach the page through these.
 */

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
  "`": "&#96;",
};

/** Escapes text for an HTML/SVG element body. */
export function escapeHtml(value: unknown): string {
  return String(value ?? "").replace(/[&<>"'`]/g, (ch) => HTML_ESCAPES[ch] ?? ch);
}

/**
 * Characters that are invisible or reorder the text around them: C0/C1 controls and DEL, the bidi marks,
 * embeddings, overrides and isolates, zero-width space, word joiner, line/paragraph separators and the BOM.
 * Zero-width (non-)joiners stay: emoji sequences and several scripts need them.
 */
const HIDDEN_CHARACTERS = /[\p{Cc}\u061c\u200b\u200e\u200f\u2028-\u202e\u2060\u2066-\u2069\ufeff]/gu;

/**
 * Escapes a value for a double-quoted attribute. Same set as text, plus control and bidi characters as character
 * references, so an attribute can never be closed or split by the value and the markup holds none of them raw.
 */
export function escapeAttr(value: unknown): string {
  return escapeHtml(value).replace(HIDDEN_CHARACTERS, (ch) => `&#${ch.codePointAt(0)};`);
}

/** Shows every hidden or reordering character as its code point (`<U+202E>`), so a value cannot disguise itself. */
export function visibleControls(value: unknown): string {
  return String(value ?? "").replace(
    HIDDEN_CHARACTERS,
    (ch) => `<U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}>`,
  );
}

/**
 * A collected value as HTML text: controls shown visibly, escaped, and inside `<bdi>` so right-to-left text in it
 * cannot reorder what surrounds it.
 */
export function isolatedHtml(value: unknown): string {
  return `<bdi>${escapeHtml(visibleControls(value))}</bdi>`;
}

/**
 * A collected value for places that hold only text (`<title>`, `<option>`): controls shown visibly and the value
 * between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE, the plain-text form of `<bdi>`. Not escaped.
 */
export function isolatedText(value: unknown): string {
  return `\u2068${visibleControls(value)}\u2069`;
}

/**
 * A URL for an `href`: only same-origin relative paths built by the dashboard itself are allowed; anything with a
 * scheme (`javascript:`, `data:`) or protocol-relative `//host` is refused and replaced by `#`.
 */
export function safeHref(url: string): string {
  if (!url.startsWith("/") || url.startsWith("//") || url.startsWith("/\\")) return "#";
  return escapeAttr(url);
}
