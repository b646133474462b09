import type { OutgoingHttpHeader, OutgoingHttpHeaders, ServerResponse } from "node:http";

/** Headers as `writeHead` accepts them: an object, a flat `[name, value, …]` list, or `[name, value]` pairs. */
export type WriteHeadHeaders = OutgoingHttpHeaders | readonly unknown[];

/** `writeHead(status[, reason][, headers])`, taken apart. */
export interface WriteHeadCall {
  status: number;
  reason: string | undefined;
  headers: WriteHeadHeaders | undefined;
}

export function parseWriteHead(args: unknown[]): WriteHeadCall {
  const status = Number(args[0]);
  if (typeof args[1] === "string") {
    return { status, reason: args[1], headers: args[2] as WriteHeadHeaders | undefined };
  }
  return { status, reason: undefined, headers: args[1] as WriteHeadHeaders | undefined };
}

/** `writeHead`'s headers as `[name, value]` pairs, whatever form they were given in. */
function pairsOf(headers: WriteHeadHeaders): [string, unknown][] {
  if (!Array.isArray(headers)) return Object.entries(headers as OutgoingHttpHeaders);
  if (headers.length > 0 && Array.isArray(headers[0])) {
    return (headers as unknown[][]).map((pair) => [String(pair[0]), pair[1]]);
  }
  const pairs: [string, unknown][] = [];
  for (let i = 0; i + 1 < headers.length; i += 2) pairs.push([String(headers[i]), headers[i + 1]]);
  return pairs;
}

/** The value a header will be sent with: `writeHead`'s own headers first (the last occurrence), then `setHeader`'s. */
export function headerValue(
  res: ServerResponse,
  headers: WriteHeadHeaders | undefined,
  name: string,
): string | undefined {
  let value: unknown;
  if (headers !== undefined && headers !== null) {
    for (const [key, v] of pairsOf(headers)) if (v !== undefined && key.toLowerCase() === name) value = v;
  }
  value ??= res.getHeader(name);
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(", ") : String(value);
}

/**
 * Moves `writeHead`'s own headers onto the response, as Node merges them when `setHeader` was used too, so they
 * can be changed with `setHeader`/`removeHeader`. Repeated names in a list (`Set-Cookie`) stay separate values
 * (on-headers once mangled array headers: CVE-2025-7339).
 */
export function moveToResponse(res: ServerResponse, headers: WriteHeadHeaders): void {
  const pairs = pairsOf(headers).filter(([, value]) => value !== undefined);
  if (!Array.isArray(headers)) {
    for (const [name, value] of pairs) res.setHeader(name, value as OutgoingHttpHeader);
    return;
  }
  for (const [name] of pairs) res.removeHeader(name);
  for (const [name, value] of pairs) res.appendHeader(name, value as string | string[]);
}
