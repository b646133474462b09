import { hash as oneShotHash } from "node:crypto";

/** Hex sha256 of the parts joined by NUL, cut to 128 bits (plenty against collisions, half the storage). */
function hash(...parts: string[]): string {
  // One-shot hashing: no Hash object per call (this runs once per request and once per new session).
  return oneShotHash("sha256", parts.join("\u0000"), "hex").slice(0, 32);
}

/**
 * The anonymous visitor id: a hash of today's salt, the site, the client IP and the user agent. The IP is only
 * an input here; it is never stored. It changes every day (the salt rotates), so visitors cannot be followed
 * across days.
 */
export function visitorId(salt: string, site: string, ip: string, userAgent: string): string {
  return hash(salt, site, ip, userAgent);
}

/** A session id: the visitor id plus the time the session started. */
export function sessionId(visitor: string, startedAt: number): string {
  return hash(visitor, String(startedAt));
}
