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
 * Escapes a value for a double-quoted attribute. Same set as text, plus control characters, so an attribute can
 * never be closed or split by the value.
 */
export function escapeAttr(value: unknown): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is stripped here
  return escapeHtml(value).replace(/[\u0000-\u001f\u007f]/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/**
 * A URL for an `href`: only same-origin relative paths built by the dashboard itself are allowed; anything with a
 * scheme (`javascript:`, `data:`) or protocol-relative `//host` is refused and replaced by `#`.
 */
export function safeHref(url: string): string {
  if (!url.startsWith("/") || url.startsWith("//") || url.startsWith("/\\")) return "#";
  return escapeAttr(url);
}
