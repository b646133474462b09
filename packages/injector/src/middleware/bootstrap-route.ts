import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * Serves the snippet's bootstrap code as a same-origin script (external mode, for CSPs without
 * `'unsafe-inline'` or a nonce). Returns false when the request is not for it.
 */
export function createBootstrapRoute(path: string, bootstrapJs: string) {
  const body = Buffer.from(bootstrapJs, "utf8");
  const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
  return function serveBootstrap(req: IncomingMessage, res: ServerResponse): boolean {
    if (body.length === 0 || (req.method !== "GET" && req.method !== "HEAD")) return false;
    const url = (req as { originalUrl?: string }).originalUrl ?? req.url ?? "";
    const pathname = url.split("?")[0];
    if (pathname !== path) return false;
    res.setHeader("Content-Type", "text/javascript; charset=utf-8");
    // Always revalidated (cheap, by ETag): a config change must reach browsers at once.
    res.setHeader("Cache-Control", "no-cache");
    res.setHeader("ETag", etag);
    res.setHeader("X-Content-Type-Options", "nosniff");
    const ifNoneMatch = req.headers["if-none-match"];
    if (ifNoneMatch?.split(",").some((t) => t.trim().replace(/^W\//, "") === etag)) {
      res.statusCode = 304;
      res.end();
      return true;
    }
    res.statusCode = 200;
    res.setHeader("Content-Length", body.length);
    res.end(req.method === "HEAD" ? undefined : body);
    return true;
  };
}
