import type { IncomingMessage } from "node:http";
import { isBotUserAgent } from "@tracklet/config/bots";

/**
 * Whether a response went to a browser loading it as a page: not HEAD, a navigation to a document where the
 * browser says so (`Sec-Fetch-Dest: document`, `Sec-Fetch-Mode: navigate`; older browsers send neither, and
 * count), and not a bot by the collector's own check, so both sides count the same visitors.
 */
export function isBrowserDocument(req: IncomingMessage): boolean {
  if (req.method === "HEAD") return false;
  const headers = req.headers;
  const dest = headers["sec-fetch-dest"];
  if (dest !== undefined && dest !== "document") return false;
  const mode = headers["sec-fetch-mode"];
  if (mode !== undefined && mode !== "navigate") return false;
  return !isBotUserAgent(headers["user-agent"]);
}

/** The site the SDK reports a page under when the script has no `data-site`: `location.hostname`. */
export function requestHostname(req: IncomingMessage): string {
  // Express's `req.hostname` honours `trust proxy` (X-Forwarded-Host), as the browser's location does.
  const hostname = (req as { hostname?: unknown }).hostname;
  if (typeof hostname === "string" && hostname !== "") return hostname.toLowerCase();
  return (req.headers.host ?? "").replace(/:\d*$/, "").toLowerCase();
}

/** The request's path without its query: `req.originalUrl` under Express (mounted routers shorten `req.url`). */
export function requestPath(req: IncomingMessage): string {
  const original = (req as { originalUrl?: unknown }).originalUrl;
  const url = typeof original === "string" ? original : (req.url ?? "/");
  const end = url.search(/[?#]/);
  const path = end < 0 ? url : url.slice(0, end);
  if (path.startsWith("/")) return path;
  // An absolute-form request target (`GET http://host/page`), as proxies send.
  try {
    return new URL(path).pathname;
  } catch {
    return "/";
  }
}
