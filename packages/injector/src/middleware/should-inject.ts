import type { IncomingMessage, ServerResponse } from "node:http";
import { effectiveHeader, type WriteHeadHeaders } from "./header-args.js";

const HTML_TYPES = new Set(["text/html", "application/xhtml+xml"]);
const NO_TRANSFORM = /(?:^|,)\s*no-transform\s*(?:,|$)/i;

/** Statuses never injected: no body (1xx, 204, 304), partial (206) or reset (205). */
function injectableStatus(status: number, errorPages: boolean): boolean {
  if (status >= 200 && status < 300) return status !== 204 && status !== 205 && status !== 206;
  return errorPages && status >= 400 && status < 600;
}

/** `text/html` (what express and most servers send, with or without a charset) is told at a glance. */
function isHtml(type: string | undefined): boolean {
  if (type === undefined) return false;
  if (type.startsWith("text/html") && (type.length === 9 || type.charCodeAt(9) === 0x3b)) return true;
  const mediaType = type.split(";")[0]?.trim().toLowerCase();
  return mediaType !== undefined && HTML_TYPES.has(mediaType);
}

function isIdentity(encoding: string): boolean {
  const value = encoding.trim().toLowerCase();
  return value === "" || value === "identity";
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
  if (!isHtml(effectiveHeader(res, headers, "content-type"))) return "not HTML";
  const encoding = effectiveHeader(res, headers, "content-encoding");
  if (encoding !== undefined && !isIdentity(encoding)) return "already encoded";
  const cacheControl = effectiveHeader(res, headers, "cache-control");
  if (cacheControl !== undefined && NO_TRANSFORM.test(cacheControl)) return "Cache-Control: no-transform";
  if (effectiveHeader(res, headers, "content-range") !== undefined) return "partial content";
  if (req.method === "CONNECT") return "CONNECT";
  return null;
}
