import { timingSafeEqual } from "node:crypto";
import type { Request } from "express";
import type { AccessRule } from "./auth-types.js";

export type { AccessRule } from "./auth-types.js";

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Whether `req` may read stats. No rule means no access (never public by default). A rule function that
 * throws or rejects also means no access.
 */
export async function checkAccess(rule: AccessRule | undefined, req: Request): Promise<boolean> {
  if (!rule) return false;
  if (typeof rule === "function") {
    try {
      return (await rule(req)) === true;
    } catch {
      return false;
    }
  }
  const header = req.headers.authorization ?? "";
  if ("token" in rule) {
    if (!rule.token) return false;
    const bearer = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
    const query = typeof req.query?.token === "string" ? req.query.token : undefined;
    return (
      (bearer !== undefined && safeEqual(bearer, rule.token)) ||
      (query !== undefined && safeEqual(query, rule.token))
    );
  }
  if ("basic" in rule) {
    const encoded = /^Basic\s+(.+)$/i.exec(header)?.[1];
    if (!encoded) return false;
    const decoded = Buffer.from(encoded, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon < 0) return false;
    return (
      safeEqual(decoded.slice(0, colon), rule.basic.user) &&
      safeEqual(decoded.slice(colon + 1), rule.basic.password)
    );
  }
  return false;
}

/** The `WWW-Authenticate` challenge matching a rule (for 401 answers). */
export function authChallenge(rule: AccessRule | undefined): string {
  if (rule && typeof rule === "object" && "basic" in rule) return 'Basic realm="tracklet", charset="UTF-8"';
  return 'Bearer realm="tracklet"';
}
