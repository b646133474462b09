/**
 * JSON serialisation that never throws: tracking must not break the code it observes, whatever it is handed
 * (circular structures, BigInt, functions, getters or `toJSON` that throw).
 */

const MAX_DEPTH = 32;

/** Returns a JSON-safe copy of `value`: cycles become `"[Circular]"`, BigInt a decimal string, functions a tag. */
export function toJsonSafe(value: unknown): unknown {
  return normalise(value, new Set<object>(), 0);
}

/** `JSON.stringify` of {@link toJsonSafe}; `undefined` at the top level becomes `"null"`. */
export function safeJsonStringify(value: unknown, space?: number): string {
  try {
    return JSON.stringify(toJsonSafe(value), null, space) ?? "null";
  } catch {
    // Only reachable through exotic proxies; keep the promise of never throwing.
    return '"[Unserializable]"';
  }
}

function normalise(value: unknown, ancestors: Set<object>, depth: number): unknown {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      return Number.isFinite(value) ? value : String(value);
    case "bigint":
      return value.toString();
    case "undefined":
      return undefined;
    case "symbol":
      return value.toString();
    case "function":
      return `[Function ${value.name || "anonymous"}]`;
  }
  if (value === null) return null;
  const obj = value as object;
  if (ancestors.has(obj)) return "[Circular]";
  if (depth >= MAX_DEPTH) return "[MaxDepth]";
  try {
    if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? null : obj.toISOString();
    if (obj instanceof Error) {
      return { name: obj.name, message: obj.message };
    }
    const withToJson = obj as { toJSON?: unknown };
    if (typeof withToJson.toJSON === "function") {
      ancestors.add(obj);
      try {
        return normalise((withToJson.toJSON as () => unknown).call(obj), ancestors, depth + 1);
      } finally {
        ancestors.delete(obj);
      }
    }
    ancestors.add(obj);
    try {
      if (Array.isArray(obj)) {
        return obj.map((item) => normalise(item, ancestors, depth + 1) ?? null);
      }
      if (obj instanceof Map) {
        return Object.fromEntries(
          [...obj].map(([k, v]) => [String(k), normalise(v, ancestors, depth + 1)] as const),
        );
      }
      if (obj instanceof Set) return [...obj].map((item) => normalise(item, ancestors, depth + 1) ?? null);
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(obj)) {
        const v = normalise((obj as Record<string, unknown>)[key], ancestors, depth + 1);
        if (v !== undefined) out[key] = v;
      }
      return out;
    } finally {
      ancestors.delete(obj);
    }
  } catch {
    return "[Unserializable]";
  }
}
