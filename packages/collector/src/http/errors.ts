import type { ServerResponse } from "node:http";
import type { HttpError } from "../pipeline/collect-error.js";

export { type CollectErrorCode, HttpError } from "../pipeline/collect-error.js";

/**
 * Answers with the error as JSON (`application/json; charset=utf-8`, like express's `res.json`) plus `headers`.
 * Plain Node calls, so it serves both the Express router and the framework-free request listener.
 */
export function sendError(res: ServerResponse, err: HttpError, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  for (const name in headers) res.setHeader(name, headers[name] as string);
  const body = JSON.stringify({
    error: { code: err.code, message: err.message, ...(err.path !== undefined ? { path: err.path } : {}) },
  });
  res.statusCode = err.status;
  res.setHeader("Content-Type", "application/json; charset=utf-8");
  // The message may quote the request (a site id, a Content-Type): never let a browser sniff it as HTML.
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Content-Length", Buffer.byteLength(body));
  res.end(body);
}
