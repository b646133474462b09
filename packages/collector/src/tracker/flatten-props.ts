import type { WirePropValue } from "@tracklet/browser-sdk/wire";
import { safeJsonStringify } from "./safe-json.js";

export interface FlattenLimits {
  maxProps: number;
  maxKeyLength: number;
  maxValueLength: number;
}

/**
 * Turns free-form event data into flat scalar properties: strings, finite numbers, booleans and null are kept,
 * anything else (objects, arrays, BigInt) becomes its JSON text; keys and string values are cut to the limits
 * and properties beyond `maxProps` are left out, in insertion order.
 */
export function flattenProps(
  data: Record<string, unknown>,
  limits: FlattenLimits,
): Record<string, WirePropValue> {
  const out: Record<string, WirePropValue> = {};
  let count = 0;
  for (const [rawKey, value] of Object.entries(data)) {
    if (count >= limits.maxProps) break;
    if (value === undefined) continue;
    const key = rawKey.slice(0, limits.maxKeyLength);
    if (key === "" || key in out) continue;
    out[key] = toScalar(value, limits.maxValueLength);
    count += 1;
  }
  return out;
}

function toScalar(value: unknown, maxLength: number): WirePropValue {
  if (value === null || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : String(value);
  const text = typeof value === "string" ? value : safeJsonStringify(value);
  return text.length > maxLength ? text.slice(0, maxLength) : text;
}
