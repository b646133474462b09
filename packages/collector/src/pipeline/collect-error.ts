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
  | "site_not_listed"
  | "too_many_sites"
  | "body_timeout"
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
