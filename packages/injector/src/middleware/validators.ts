import { createHash } from "node:crypto";
import type { IncomingMessage } from "node:http";

/** Stable tag for one snippet rendering, appended to upstream ETags of injected pages. */
export function snippetTag(snippetHtml: string, position: string): string {
  return `-t${createHash("sha256").update(position).update("\0").update(snippetHtml).digest("base64url").slice(0, 10)}`;
}

const ETAG = /^(W\/)?"([^"]*)"$/;

/** `"abc"` or `W/"abc"` → `W/"abc-t…"` (weak: the body is no longer byte-identical to what upstream hashed). */
export function taggedEtag(etag: string, tag: string): string | undefined {
  const match = ETAG.exec(etag.trim());
  if (!match) return undefined;
  return `W/"${match[2]}${tag}"`;
}

/**
 * Rewrites `If-None-Match` so upstream (express `req.fresh`, `send`) compares against its own ETags:
 * `W/"abc-t…"` with the current tag becomes `W/"abc"`. Entries with another tag (an older snippet) stay as they
 * are and never match, so a page with an outdated snippet is never revalidated. Returns undefined if unchanged.
 */
export function untagIfNoneMatch(header: string, tag: string): string | undefined {
  let changed = false;
  const parts = header.split(",").map((part) => {
    const match = ETAG.exec(part.trim());
    if (match?.[2]?.endsWith(tag)) {
      changed = true;
      return `W/"${match[2].slice(0, -tag.length)}"`;
    }
    return part.trim();
  });
  return changed ? parts.join(", ") : undefined;
}

/**
 * The request's If-None-Match. Looked up in `rawHeaders` first: most requests have none, and `req.headers` is a
 * getter that builds Node's header object. Requests made without raw headers (test doubles) are read from
 * `req.headers`.
 */
export function ifNoneMatchOf(req: IncomingMessage): string | undefined {
  const raw = req.rawHeaders;
  if (raw === undefined || raw.length === 0) return req.headers["if-none-match"];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    if (name.length === 13 && name.toLowerCase() === "if-none-match") return req.headers["if-none-match"];
  }
  return undefined;
}
