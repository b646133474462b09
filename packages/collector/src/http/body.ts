import type { IncomingMessage } from "node:http";
import { watchBodyDeadline } from "./body-deadlines.js";
import { HttpError } from "./errors.js";

/** How long a request may take to send its body by default: a slow client otherwise holds a socket for minutes. */
export const DEFAULT_BODY_TIMEOUT_MS = 10_000;

/**
 * Reads the request body as UTF-8 text, counting bytes as they arrive and giving up at `maxBytes`
 * (Content-Length is not trusted: it may be absent, chunked, or lie). Rejects with a 413 `HttpError`, or a 408
 * when the body has not fully arrived `timeoutMs` after the read began (the connection is then closed after the
 * answer). When a body parser already consumed the stream, its result is re-serialised and measured instead.
 */
export function readBodyText(
  req: IncomingMessage,
  maxBytes: number,
  timeoutMs = DEFAULT_BODY_TIMEOUT_MS,
): Promise<string> {
  const parsed: unknown = (req as { body?: unknown }).body;
  if (parsed !== undefined && (req.readableEnded || (req as { _body?: boolean })._body)) {
    const text =
      typeof parsed === "string"
        ? parsed
        : Buffer.isBuffer(parsed)
          ? parsed.toString("utf8")
          : JSON.stringify(parsed);
    if (Buffer.byteLength(text) > maxBytes) return Promise.reject(tooLarge(maxBytes));
    return Promise.resolve(text);
  }
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > maxBytes) {
      // Refuse early without reading; the connection is closed so the client stops sending.
      req.resume();
      reject(tooLarge(maxBytes));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    let unwatch: (() => void) | undefined;
    // The listeners stay attached once settled (they die with the request): removing four costs more than
    // ignoring what comes after, and a late 'error' still finds a listener.
    const finish = (err: HttpError | null) => {
      if (settled) return;
      settled = true;
      unwatch?.();
      if (err) {
        // Stop buffering; drain the rest so the socket can still carry the error response.
        req.resume();
        reject(err);
      } else {
        const only = chunks.length === 1 ? chunks[0] : undefined;
        resolve((only ?? Buffer.concat(chunks, size)).toString("utf8"));
      }
    };
    const onData = (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > maxBytes) {
        finish(tooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish(null);
    const onError = () => finish(new HttpError(400, "invalid_body", "The request body could not be read."));
    const onAborted = () => finish(new HttpError(400, "invalid_body", "The request was aborted."));
    unwatch = watchBodyDeadline(timeoutMs, () =>
      finish(new HttpError(408, "body_timeout", `The request body did not arrive within ${timeoutMs} ms.`)),
    );
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
    req.on("aborted", onAborted);
  });
}

function tooLarge(maxBytes: number): HttpError {
  return new HttpError(413, "body_too_large", `The request body exceeds ${maxBytes} bytes.`);
}
