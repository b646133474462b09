import type { IncomingMessage, ServerResponse } from "node:http";
import { BoundedCache } from "../pipeline/bounded-cache.js";

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

/** What an `Origin` header may do, given the request's `Host`. */
interface OriginVerdict {
  /** In the allow-list: gets the `Access-Control-Allow-*` headers. */
  listed: boolean;
  /** Listed or the collector's own host: may post. */
  allowed: boolean;
}

/** What an `Origin` value says, whatever the request's `Host`. */
interface OriginFacts {
  listed: boolean;
  /** The origin's `host[:port]`, lower-case (null when it does not parse). */
  host: string | null;
}

/** One allow-list's normalised origins (null for `*`) and the facts of the origins seen against it. */
interface ListCache {
  origins: Set<string | null> | null;
  facts: BoundedCache<string, OriginFacts>;
}

// Every browser POST carries Origin and the same few origins repeat: each origin is parsed once per allow-list
// while it stays in the cache (keyed by the header as received: no key is built per request).
const listCaches = new WeakMap<object, ListCache>();
const ANY_LIST = {};

function originFacts(origin: string, allowed: CorsSetting): OriginFacts {
  const list = allowed === "*" ? ANY_LIST : allowed;
  let cache = listCaches.get(list);
  if (!cache) {
    cache = {
      origins: allowed === "*" ? null : new Set(allowed.map(normalizeOrigin)),
      facts: new BoundedCache(2000),
    };
    listCaches.set(list, cache);
  }
  const { origins } = cache;
  return cache.facts.get(origin, () => {
    const normalized = normalizeOrigin(origin);
    const host = normalized === null ? null : new URL(normalized).host;
    return { listed: origins === null || (normalized !== null && origins.has(normalized)), host };
  });
}

function verdict(origin: string, host: string | undefined, allowed: CorsSetting): OriginVerdict {
  const facts = originFacts(origin, allowed);
  if (facts.listed) return LISTED;
  return facts.host !== null && host !== undefined && facts.host === host.toLowerCase() ? SAME_HOST : REFUSED;
}

const LISTED: OriginVerdict = { listed: true, allowed: true };
const SAME_HOST: OriginVerdict = { listed: false, allowed: true };
const REFUSED: OriginVerdict = { listed: false, allowed: false };

/** Adds `Origin` to the response's `Vary` header (keeping what is there). */
function varyOnOrigin(res: ServerResponse): void {
  const vary = res.getHeader("Vary");
  if (vary === undefined) res.setHeader("Vary", "Origin");
  else if (!/(^|,)\s*(origin|\*)\s*(,|$)/i.test(String(vary)))
    res.setHeader("Vary", `${String(vary)}, Origin`);
}

/**
 * CORS for `/collect`. Returns false when the request carries an `Origin` that is neither allowed nor
 * the collector's own host (the caller answers 403). Requests without `Origin` (servers, curl) pass.
 * A listed origin gets `Access-Control-Allow-Origin`; a `preflight` answer also the methods, headers and max
 * age, which browsers read only there. The allow-list array is read once and must not be changed afterwards.
 */
export function applyCors(
  req: IncomingMessage,
  res: ServerResponse,
  allowed: CorsSetting,
  preflight = false,
): boolean {
  varyOnOrigin(res);
  const origin = req.headers.origin;
  if (!origin) return true;
  const v = verdict(origin, req.headers.host, allowed);
  if (!v.allowed) return false;
  if (v.listed) {
    res.setHeader("Access-Control-Allow-Origin", allowed === "*" ? "*" : origin);
    if (!preflight) return true;
    res.setHeader("Access-Control-Allow-Methods", "POST, OPTIONS");
    res.setHeader("Access-Control-Allow-Headers", "Content-Type");
    res.setHeader("Access-Control-Max-Age", "86400");
  }
  return true;
}
