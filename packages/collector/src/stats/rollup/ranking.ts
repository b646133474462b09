import { NULL_TEXT } from "./rollup-schema.js";

/** Byte order of the UTF-8 text, as SQLite's BINARY collation and PostgreSQL's C collation sort. */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** Text order with rollup NULLs (`NULL_TEXT`) placed where the database's `ORDER BY` puts NULL. */
export function textOrder(nullsFirst: boolean): (a: string, b: string) => number {
  return (a, b) => {
    if (a === b) return 0;
    if (a === NULL_TEXT) return nullsFirst ? -1 : 1;
    if (b === NULL_TEXT) return nullsFirst ? 1 : -1;
    return compareText(a, b);
  };
}

/** UTM keys (JSON triples) in the raw query's order: source, medium, campaign, NULL where the database puts it. */
export function utmOrder(nullsFirst: boolean): (a: string, b: string) => number {
  const order = textOrder(nullsFirst);
  const part = (v: string | null | undefined) => (v === null || v === undefined ? NULL_TEXT : v);
  return (a, b) => {
    const [sa, ma, ca] = JSON.parse(a) as Array<string | null>;
    const [sb, mb, cb] = JSON.parse(b) as Array<string | null>;
    return order(part(sa), part(sb)) || order(part(ma), part(mb)) || order(part(ca), part(cb));
  };
}

/** A rollup text as the raw queries report it (NULL reads as ""). */
export const shown = (v: string) => (v === NULL_TEXT ? "" : v);

/** Adds `delta` to a count, dropping it when it reaches zero. */
export function bump<K>(map: Map<K, number>, key: K, delta: number): void {
  const n = (map.get(key) ?? 0) + delta;
  if (n === 0) map.delete(key);
  else map.set(key, n);
}

/** Entries with a positive count, largest first, ties by text (as the raw queries' `ORDER BY n DESC, name`). */
export function top(
  map: Map<string, number>,
  limit: number,
  order: (a: string, b: string) => number,
): Array<[string, number]> {
  return [...map]
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || order(a[0], b[0]))
    .slice(0, limit);
}
