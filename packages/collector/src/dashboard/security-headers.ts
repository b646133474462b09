import { randomBytes } from "node:crypto";
import type { Response } from "express";

/**
 * Headers every dashboard response carries: a strict CSP whose only inline style/script is the one with this
 * response's nonce, no caching (the pages hold private numbers), no framing, no referrer leaving the page.
 * Returns the nonce.
 */
export function securityHeaders(res: Response): string {
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
