import { parseRetryAfter } from "./backoff.js";
import { SendError } from "./batch-queue.js";

/** How a forwarding destination talks HTTP; tests pass their own `fetch`. */
export interface HttpDeliveryOptions {
  /** Per-request timeout, ms. Default 10000. */
  timeoutMs?: number;
  /** Default: the global fetch. */
  fetch?: typeof fetch;
}

/**
 * POSTs one JSON body. Resolves on 2xx; otherwise throws a {@link SendError} that is permanent for 4xx answers
 * other than 408 and 429 and carries `Retry-After`. URLs in messages lose their query (GA4 puts its API secret
 * there).
 */
export async function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  signal: AbortSignal,
  options: HttpDeliveryOptions,
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const doFetch = options.fetch ?? globalThis.fetch;
  let response: Response;
  try {
    response = await doFetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
      signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
    });
  } catch (error) {
    if (error instanceof Error && error.name === "TimeoutError") {
      throw new SendError(`no answer from ${redactQuery(url)} within ${timeoutMs} ms`);
    }
    throw new SendError(`cannot reach ${redactQuery(url)}: ${(error as Error).message}`);
  }
  // Read the body so the connection can be reused.
  await response.arrayBuffer().catch(() => undefined);
  if (response.ok) return;
  const status = response.status;
  const retriable = status >= 500 || status === 429 || status === 408;
  throw new SendError(
    `HTTP ${status} from ${redactQuery(url)}`,
    !retriable,
    parseRetryAfter(response.headers.get("retry-after")),
  );
}

/** The URL without its query string. */
export function redactQuery(url: string): string {
  const index = url.indexOf("?");
  return index === -1 ? url : `${url.slice(0, index)}?…`;
}
