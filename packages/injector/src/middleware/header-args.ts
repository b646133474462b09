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

export function writeHeadArgs(call: WriteHeadCall, original: unknown[]): unknown[] {
  const args: unknown[] = [original[0]];
  if (call.reason !== undefined) args.push(call.reason);
  if (call.headers !== undefined) args.push(call.headers);
  return args;
}

function isPairList(list: readonly unknown[]): boolean {
  return list.length > 0 && Array.isArray(list[0]);
}

/** The value `writeHead`'s headers give `name` (case-insensitive; the last occurrence wins), if any. */
export function headerInArgs(
  headers: WriteHeadHeaders | undefined,
  name: string,
): OutgoingHttpHeader | undefined {
  if (headers === undefined || headers === null) return undefined;
  const wanted = name.toLowerCase();
  let found: OutgoingHttpHeader | undefined;
  if (Array.isArray(headers)) {
    if (isPairList(headers)) {
      for (const pair of headers as unknown[][]) {
        if (String(pair[0]).toLowerCase() === wanted) found = pair[1] as OutgoingHttpHeader;
      }
    } else {
      for (let i = 0; i + 1 < headers.length; i += 2) {
        if (String(headers[i]).toLowerCase() === wanted) found = headers[i + 1] as OutgoingHttpHeader;
      }
    }
    return found;
  }
  for (const [key, value] of Object.entries(headers as OutgoingHttpHeaders)) {
    if (key.toLowerCase() === wanted && value !== undefined) found = value;
  }
  return found;
}

/**
 * A copy of `headers` without `names` (case-insensitive). Everything else, array values included, is kept as
 * given (on-headers once mangled array headers here: CVE-2025-7339).
 */
export function withoutHeaders(
  headers: WriteHeadHeaders | undefined,
  names: string[],
): WriteHeadHeaders | undefined {
  if (headers === undefined || headers === null) return headers;
  const drop = new Set(names.map((n) => n.toLowerCase()));
  if (Array.isArray(headers)) {
    if (isPairList(headers))
      return (headers as unknown[][]).filter((pair) => !drop.has(String(pair[0]).toLowerCase()));
    const out: unknown[] = [];
    for (let i = 0; i + 1 < headers.length; i += 2) {
      if (!drop.has(String(headers[i]).toLowerCase())) out.push(headers[i], headers[i + 1]);
    }
    return out;
  }
  const out: OutgoingHttpHeaders = {};
  for (const [key, value] of Object.entries(headers as OutgoingHttpHeaders)) {
    if (!drop.has(key.toLowerCase())) out[key] = value;
  }
  return out;
}

/** The header's value as `writeHead` will send it: its own headers first, then `setHeader`'s. */
export function effectiveHeader(
  res: ServerResponse,
  headers: WriteHeadHeaders | undefined,
  name: string,
): string | undefined {
  const value = headerInArgs(headers, name) ?? res.getHeader(name);
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(", ") : String(value);
}

/**
 * Sets `name` for `writeHead`: inside its own headers when it has some (so an array stays an array, repeated
 * values intact), else with `setHeader`.
 */
export function withHeader(
  res: ServerResponse,
  headers: WriteHeadHeaders | undefined,
  name: string,
  value: string | number,
): WriteHeadHeaders | undefined {
  const rest = withoutHeaders(headers, [name]);
  if (rest === undefined || rest === null) {
    res.setHeader(name, value);
    return rest;
  }
  res.removeHeader(name);
  if (Array.isArray(rest))
    return isPairList(rest) ? [...rest, [name, String(value)]] : [...rest, name, String(value)];
  return { ...(rest as OutgoingHttpHeaders), [name]: value };
}

/** Removes `names` from both `writeHead`'s headers and the response. */
export function dropHeaders(
  res: ServerResponse,
  headers: WriteHeadHeaders | undefined,
  names: string[],
): WriteHeadHeaders | undefined {
  for (const name of names) if (res.hasHeader(name)) res.removeHeader(name);
  return withoutHeaders(headers, names);
}
