/** A response header's value as it will be sent (lower-case name), or undefined. */
export type HeaderLookup = (name: string) => string | undefined;

const HTML_TYPES = new Set(["text/html", "application/xhtml+xml"]);
const NO_TRANSFORM = /(?:^|,)\s*no-transform\s*(?:,|$)/i;

/** Statuses never injected: no body (1xx, 204, 304), partial (206) or reset (205). */
function injectableStatus(status: number, errorPages: boolean): boolean {
  if (status >= 200 && status < 300) return status !== 204 && status !== 205 && status !== 206;
  return errorPages && status >= 400 && status < 600;
}

/** True for an HTML media type. */
export function isHtml(type: string | undefined): boolean {
  if (type === undefined) return false;
  const semicolon = type.indexOf(";");
  const media = semicolon < 0 ? type : type.slice(0, semicolon);
  return HTML_TYPES.has(media.trim().toLowerCase());
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
  method: string | undefined,
  status: number,
  header: HeaderLookup,
  errorPages: boolean,
): string | null {
  if (!injectableStatus(status, errorPages)) return `status ${status}`;
  if (!isHtml(header("content-type"))) return "not HTML";
  const encoding = header("content-encoding");
  if (encoding !== undefined && !isIdentity(encoding)) return "already encoded";
  const cacheControl = header("cache-control");
  if (cacheControl !== undefined && NO_TRANSFORM.test(cacheControl)) return "Cache-Control: no-transform";
  if (header("content-range") !== undefined) return "partial content";
  if (method === "CONNECT") return "CONNECT";
  return null;
}
