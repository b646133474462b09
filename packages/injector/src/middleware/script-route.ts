import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import Negotiator from "negotiator";
import type { SnippetAsset } from "../types.js";

/** A content-hashed path never changes content: browsers and CDNs keep it for a year without asking. */
export const IMMUTABLE_CACHE = "public, max-age=31536000, immutable";
/** The plain SDK path changes with the config or an upgrade: kept a few minutes, then revalidated by ETag. */
export const SHORT_CACHE = "public, max-age=300";
/** The external bootstrap holds the config itself: revalidated on every use. */
const BOOTSTRAP_CACHE = "no-cache";

type Coding = "br" | "gzip";

interface Representation {
  body: Buffer;
  etag: string;
}

interface ServedScript {
  identity: Representation;
  /** The precompressed forms found next to the file (none for the bootstrap). */
  encoded: Partial<Record<Coding, Representation>>;
  cacheControl: string;
}

/** Codings in the server's order of preference when the client accepts several equally. */
const CODINGS: readonly Coding[] = ["br", "gzip"];
const AVAILABLE = [...CODINGS, "identity"] as const;
const SIBLING: Record<Coding, string> = { br: ".br", gzip: ".gz" };
const DECODE: Record<Coding, (body: Buffer) => Buffer> = { br: brotliDecompressSync, gzip: gunzipSync };

// negotiator ≥ 1.0 breaks ties by the server's `preferred` order; its type definitions predate that option.
type PickEncoding = (
  available: readonly string[],
  options: { preferred: readonly string[] },
) => string | undefined;

const etagOf = (body: Buffer, coding?: Coding) =>
  `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}${coding ? `-${coding}` : ""}"`;

/**
 * A file and the precompressed forms built next to it (`<file>.br`, `<file>.gz`). A form that does not
 * decompress to the file (a build that stopped half-way) is left out rather than served.
 */
function loadAsset(asset: SnippetAsset): ServedScript {
  const body = readFileSync(asset.file);
  const encoded: ServedScript["encoded"] = {};
  for (const coding of CODINGS) {
    const path = asset.file + SIBLING[coding];
    if (!existsSync(path)) continue;
    const compressed = readFileSync(path);
    let matches = false;
    try {
      matches = DECODE[coding](compressed).equals(body);
    } catch {}
    if (matches) encoded[coding] = { body: compressed, etag: etagOf(body, coding) };
    else console.warn(`tracklet: ${path} does not hold ${asset.file}; serving it uncompressed instead`);
  }
  return {
    identity: { body, etag: etagOf(body) },
    encoded,
    cacheControl: asset.immutable ? IMMUTABLE_CACHE : SHORT_CACHE,
  };
}

/** Whether `If-None-Match` names `etag` (weak comparison, `*` included). */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  return (
    ifNoneMatch?.split(",").some((tag) => {
      const t = tag.trim();
      return t === "*" || t.replace(/^W\//, "") === etag;
    }) === true
  );
}

/**
 * Serves same-origin scripts the snippet references: tracklet's browser SDK (a {@link SnippetAsset}: brotli
 * or gzip as `Accept-Encoding` allows, cached for a year at a content-hashed path, a few minutes elsewhere) and
 * the bootstrap code of external mode (a string, revalidated on every use). Every body is read once, at
 * start-up. The returned function answers a request for one of `scripts` and returns true, or returns false.
 */
export function createScriptRoute(scripts: ReadonlyMap<string, string | Buffer | SnippetAsset>) {
  const served = new Map<string, ServedScript>();
  for (const [path, source] of scripts) {
    if (typeof source === "string" || Buffer.isBuffer(source)) {
      const body = typeof source === "string" ? Buffer.from(source, "utf8") : source;
      if (body.length > 0)
        served.set(path, {
          identity: { body, etag: etagOf(body) },
          encoded: {},
          cacheControl: BOOTSTRAP_CACHE,
        });
    } else {
      served.set(path, loadAsset(source));
    }
  }
  return function serveScript(req: IncomingMessage, res: ServerResponse): boolean {
    if (served.size === 0 || (req.method !== "GET" && req.method !== "HEAD")) return false;
    const url = (req as { originalUrl?: string }).originalUrl ?? req.url ?? "";
    const query = url.indexOf("?");
    const script = served.get(query < 0 ? url : url.slice(0, query));
    if (script === undefined) return false;
    let coding: Coding | undefined;
    if (script.encoded.br || script.encoded.gzip) {
      const available = AVAILABLE.filter((c) => c === "identity" || script.encoded[c]);
      const negotiator = new Negotiator(req);
      const pick = negotiator.encoding as unknown as PickEncoding;
      const chosen = pick.call(negotiator, available, { preferred: AVAILABLE });
      coding = chosen === "br" || chosen === "gzip" ? chosen : undefined;
      res.setHeader("Vary", "Accept-Encoding");
    }
    const representation = (coding && script.encoded[coding]) || script.identity;
    res.setHeader("Content-Type", "text/javascript; charset=utf-8");
    res.setHeader("Cache-Control", script.cacheControl);
    res.setHeader("ETag", representation.etag);
    res.setHeader("X-Content-Type-Options", "nosniff");
    if (matches(req.headers["if-none-match"], representation.etag)) {
      res.statusCode = 304;
      res.end();
      return true;
    }
    res.statusCode = 200;
    if (coding) res.setHeader("Content-Encoding", coding);
    res.setHeader("Content-Length", representation.body.length);
    res.end(req.method === "HEAD" ? undefined : representation.body);
    return true;
  };
}
