import type { Request, Response } from "express";

export type CorsSetting = string[] | "*";

/** Normalises an origin for comparison (`https://Example.com:443` → `https://example.com`). */
function normalizeOrigin(origin: string): string | null {
  try {
    const u = new URL(origin);
    return u.origin.toLowerCase();
  } catch {
    return null;
  }
}

/**
 * CORS for `POST /collect`. Returns false when the request carries an `Origin` that is neither allowed nor
 * the collector's own host (the caller answers 403). Requests without `Origin` (servers, curl) pass.
 */
export function applyCors(req: Request, res: Response, allowed: CorsSetting): boolean {
  res.append("Vary", "Origin");
  const origin = req.headers.origin;
  if (!origin) return true;
  const normalized = normalizeOrigin(origin);
  const sameHost =
    normalized !== null &&
    req.headers.host !== undefined &&
    new URL(normalized).host === req.headers.host.toLowerCase();
  const listed =
    allowed === "*" || (normalized !== null && allowed.some((a) => normalizeOrigin(a) === normalized));
  if (!listed && !sameHost) return false;
  if (listed) {
    res.setHeader("Access-Control-Allow-Origin", allowed === "*" ? "*" : origin);
    res.setHeader("Access-Control-Allow-Methods", "POST, OPTIONS");
    res.setHeader("Access-Control-Allow-Headers", "Content-Type");
    res.setHeader("Access-Control-Max-Age", "86400");
  }
  return true;
}
