import type { IncomingMessage, ServerResponse } from "node:http";
import { effectiveHeader, type WriteHeadHeaders } from "./header-args.js";

const HTML_TYPES = new Set(["text/html", "application/xhtml+xml"]);
const NO_TRANSFORM = /(?:^|,)\s*no-transform\s*(?:,|$)/i;

/** Statuses never injected: no body (1xx, 204, 304), partial (206) or reset (205). */
function injectableStatus(status: number, errorPages: boolean): boolean {
  if (status >= 200 && status < 300) return status !== 204 && status !== 205 && status !== 206;
  return errorPages && status >= 400 && status < 600;
}

/**
 * Why a response is not injected, or `null` when it is. Decided at header time from the status and the headers
 * about to be sent.
 */
export function skipReason(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  headers: WriteHeadHeaders | undefined,
  errorPages: boolean,
): string | null {
  if (!injectableStatus(status, errorPages)) return `status ${status}`;
  const type = effectiveHeader(res, headers, "content-type");
  const mediaType = type?.split(";")[0]?.trim().toLowerCase();
  if (mediaType === undefined || !HTML_TYPES.has(mediaType)) return "not HTML";
  const encoding = effectiveHeader(res, headers, "content-encoding")?.trim().toLowerCase();
  if (encoding && encoding !== "identity") return "already encoded";
  if (NO_TRANSFORM.test(effectiveHeader(res, headers, "cache-control") ?? ""))
    return "Cache-Control: no-transform";
  if (effectiveHeader(res, headers, "content-range") !== undefined) return "partial content";
  if (req.method === "CONNECT") return "CONNECT";
  return null;
}
