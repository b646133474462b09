import type { CteSql } from "./stats-dialect.js";

/** The literal text before the first `*` of a page pattern. */
function literalPrefix(pattern: string): string {
  const star = pattern.indexOf("*");
  return star < 0 ? pattern : pattern.slice(0, star);
}

/**
 * SQLite condition on `path` for a page pattern (`*` = any characters). GLOB is case-sensitive like paths;
 * its own wildcards `?` and `[` are taken literally. The explicit prefix range lets the path index serve it.
 */
export function sqlitePathMatch(pattern: string): CteSql {
  if (!pattern.includes("*")) return { sql: "path = ?", params: [pattern] };
  const glob = pattern.replace(/[?[]/g, (c) => `[${c}]`);
  const prefix = literalPrefix(pattern);
  if (prefix === "") return { sql: "path GLOB ?", params: [glob] };
  const last = prefix.charCodeAt(prefix.length - 1);
  const upper = prefix.slice(0, -1) + String.fromCharCode(last + 1);
  return { sql: "path >= ? AND path < ? AND path GLOB ?", params: [prefix, upper, glob] };
}

/** PostgreSQL condition on `path` for a page pattern: LIKE with `%`, `_` and `\` escaped. */
export function postgresPathMatch(pattern: string): CteSql {
  if (!pattern.includes("*")) return { sql: "path = ?", params: [pattern] };
  const like = pattern.replace(/[\\%_]/g, (c) => `\\${c}`).replace(/\*/g, "%");
  return { sql: "path LIKE ? ESCAPE '\\'", params: [like] };
}
