import { num, str } from "../read-row.js";
import type { EventRow } from "../types.js";
import { readCounter } from "./counters.js";
import { compareText } from "./ranking.js";
import type { RollupScope } from "./rollup-scope.js";

interface PropCount {
  name: string;
  key: string;
  value: string;
  count: number;
}

/** Adds the top property pairs of the listed events: covered counters plus the raw parts. */
export async function attachRollupProps(s: RollupScope, rows: EventRow[]): Promise<void> {
  if (rows.length === 0) return;
  // As the raw query: properties of the events named as each row shows its name.
  const names = rows.map((r) => r.name);
  const marks = names.map(() => "?").join(", ");
  const counted = await readCounter(s.db, s.siteId, s.cover, "props", ` AND key1 IN (${marks})`, names);
  const pairs = new Map<string, PropCount>();
  const add = (name: string, key: string, value: string, count: number) => {
    const k = `${name}\u0000${key}\u0000${value}`;
    const p = pairs.get(k);
    if (p) p.count += count;
    else pairs.set(k, { name, key, value, count });
  };
  for (const r of counted) add(r.key1, r.key2, r.key3, r.count1);
  for (const r of await rawPartProps(s, names, marks))
    add(str(r.name), str(r.key), str(r.value), num(r.count));
  const byName = new Map(rows.map((r) => [r.name, r]));
  const sorted = [...pairs.values()].sort(
    (a, b) => b.count - a.count || compareText(a.key, b.key) || compareText(a.value, b.value),
  );
  for (const p of sorted) {
    const row = byName.get(p.name);
    if (row && row.props.length < s.limit) row.props.push({ key: p.key, value: p.value, count: p.count });
  }
}

/** Property pairs of the named events in the range's raw parts. */
async function rawPartProps(
  s: RollupScope,
  names: string[],
  marks: string,
): Promise<Record<string, unknown>[]> {
  const raw = s.plan.main.raw;
  if (raw.length === 0) return [];
  // The range has at most two raw parts, written out: joined from a literal list, PostgreSQL's estimate of
  // its rows led it to scan every event of the site.
  const parts = raw.map(() => "(e.site = ? AND e.ts >= ? AND e.ts < ?)").join(" OR ");
  return s.db.all(
    `SELECT e.name AS name, p.key AS key, ${s.db.propValueText} AS value, COUNT(*) AS count
       FROM events e ${s.db.propsJoin}
      WHERE (${parts}) AND e.type IN ('event', 'server') AND e.props IS NOT NULL AND e.name IN (${marks})
      GROUP BY e.name, p.key, ${s.db.propValueText}`,
    [...raw.flatMap(([start, end]) => [s.query.site, start, end]), ...names],
  );
}
