import { randomBytes } from "node:crypto";
import type { Response } from "express";

/**
 * Set on the collector's own responses: the injector (`@tracklet/injector`) leaves a response alone when it is
 * true, so the dashboard, whose CSP would block the snippet, is never injected.
 */
export const NO_SNIPPET_LOCAL = "trackletNoSnippet";

/** Marks a response as the collector's own, for the injector to leave alone. */
export function markNoSnippet(res: Response): void {
  res.locals[NO_SNIPPET_LOCAL] = true;
}

/**
 * Headers every dashboard response carries: a strict CSP whose only inline style/script is the one with this
 * response's nonce, no caching (the pages hold private numbers), no framing, no referrer leaving the page; and the
 * mark that keeps the injector out. Returns the nonce.
 */
export function securityHeaders(res: Response): string {
  markNoSnippet(res);
  const nonce = randomBytes(16).toString("base64");
  res.set({
    "Content-Security-Policy": [
      "default-src 'none'",
      `style-src 'nonce-${nonce}'`,
      `script-src 'nonce-${nonce}'`,
      // \`data:\` only for the empty favicon, which keeps browsers from asking for /favicon.ico.
      "img-src 'self' data:",
      "form-action 'self'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
    ].join("; "),
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
  });
  return nonce;
}
