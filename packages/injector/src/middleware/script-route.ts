import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

interface ServedScript {
  body: Buffer;
  etag: string;
}

/**
 * Serves same-origin scripts the snippet references: the bootstrap code in external mode (for CSPs without
 * `'unsafe-inline'` or a nonce) and tracklet's browser SDK. The bodies are read once, at start-up.
 * The returned function answers a request for one of `scripts` and returns true, or returns false.
 */
export function createScriptRoute(scripts: ReadonlyMap<string, string | Buffer>) {
  const served = new Map<string, ServedScript>();
  for (const [path, source] of scripts) {
    const body = typeof source === "string" ? Buffer.from(source, "utf8") : source;
    if (body.length === 0) continue;
    const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
    served.set(path, { body, etag });
  }
  return function serveScript(req: IncomingMessage, res: ServerResponse): boolean {
    if (served.size === 0 || (req.method !== "GET" && req.method !== "HEAD")) return false;
    const url = (req as { originalUrl?: string }).originalUrl ?? req.url ?? "";
    const query = url.indexOf("?");
    const script = served.get(query < 0 ? url : url.slice(0, query));
    if (script === undefined) return false;
    res.setHeader("Content-Type", "text/javascript; charset=utf-8");
    // Always revalidated (cheap, by ETag): a config change or an upgrade must reach browsers at once.
    res.setHeader("Cache-Control", "no-cache");
    res.setHeader("ETag", script.etag);
    res.setHeader("X-Content-Type-Options", "nosniff");
    const ifNoneMatch = req.headers["if-none-match"];
    if (ifNoneMatch?.split(",").some((t) => t.trim().replace(/^W\//, "") === script.etag)) {
      res.statusCode = 304;
      res.end();
      return true;
    }
    res.statusCode = 200;
    res.setHeader("Content-Length", script.body.length);
    res.end(req.method === "HEAD" ? undefined : script.body);
    return true;
  };
}
