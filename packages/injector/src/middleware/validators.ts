import { createHash } from "node:crypto";

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
