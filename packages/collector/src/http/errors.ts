import type { ServerResponse } from "node:http";

/** Machine-readable error codes of the collector's HTTP API. */
export type CollectErrorCode =
  | "body_too_large"
  | "too_many_events"
  | "unsupported_media_type"
  | "invalid_json"
  | "invalid_body"
  | "unknown_event_type"
  | "missing_field"
  | "invalid_type"
  | "string_too_long"
  | "nested_prop"
  | "too_many_props"
  | "out_of_range"
  | "invalid_url"
  | "origin_not_allowed"
  | "rate_limited"
  | "queue_full"
  | "unauthorized"
  | "invalid_query"
  | "internal";

/** A client-facing error: HTTP status plus the `{ error: { code, message, path } }` body. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: CollectErrorCode,
    message: string,
    /** Where in the body the problem is, e.g. `batch[3].url`; omitted for whole-request errors. */
    readonly path?: string,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

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
  res.setHeader("Content-Length", Buffer.byteLength(body));
  res.end(body);
}
