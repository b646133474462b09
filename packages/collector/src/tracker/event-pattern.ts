import type { EventPattern } from "./types.js";

/** Compiles event-name patterns into one predicate. Globs: `*` matches any run of characters, `?` one. */
export function compileEventPattern(
  pattern: EventPattern | EventPattern[] | undefined,
): (name: string) => boolean {
  if (pattern === undefined) return () => true;
  const patterns = Array.isArray(pattern) ? pattern : [pattern];
  const tests = patterns.map(compileOne);
  return (name) => tests.some((test) => test(name));
}

function compileOne(pattern: EventPattern): (name: string) => boolean {
  if (pattern instanceof RegExp) {
    // A global/sticky RegExp keeps lastIndex between calls; copy without those flags.
    const re = new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ""));
    return (name) => re.test(name);
  }
  if (typeof pattern !== "string") {
    throw new TypeError(`event pattern must be a string or RegExp, got ${typeof pattern}`);
  }
  if (!/[*?]/.test(pattern)) return (name) => name === pattern;
  const source = pattern
    .split("")
    .map((ch) => (ch === "*" ? ".*" : ch === "?" ? "." : ch.replace(/[\\^$.|+()[\]{}]/g, "\\$&")))
    .join("");
  const re = new RegExp(`^${source}$`, "s");
  return (name) => re.test(name);
}
