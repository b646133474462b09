import type { IncomingMessage, ServerResponse } from "node:http";
import { BoundedCache } from "../ingest/bounded-cache.js";

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

// Every browser POST carries Origin and the same few origins repeat: each (allow-list, origin, host) is
// parsed once while it stays in the cache.
const normalizedLists = new WeakMap<string[], Set<string | null>>();
const verdicts = new BoundedCache<string, OriginVerdict>(2000);
let nextListId = 1;
const listIds = new WeakMap<string[], number>();

function verdict(origin: string, host: string | undefined, allowed: CorsSetting): OriginVerdict {
  let listKey = "*";
  if (allowed !== "*") {
    let id = listIds.get(allowed);
    if (id === undefined) {
      id = nextListId++;
      listIds.set(allowed, id);
    }
    listKey = String(id);
  }
  return verdicts.get(`${listKey}\n${host ?? ""}\n${origin}`, () => {
    const normalized = normalizeOrigin(origin);
    const sameHost =
      normalized !== null && host !== undefined && new URL(normalized).host === host.toLowerCase();
    let listed = allowed === "*";
    if (!listed && normalized !== null && allowed !== "*") {
      let set = normalizedLists.get(allowed);
      if (!set) {
        set = new Set(allowed.map(normalizeOrigin));
        normalizedLists.set(allowed, set);
      }
      listed = set.has(normalized);
    }
    return { listed, allowed: listed || sameHost };
  });
}

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
