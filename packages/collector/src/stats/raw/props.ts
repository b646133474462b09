import { num, str } from "../read-row.js";
import type { EventRow } from "../types.js";
import type { RawScope } from "./raw-scope.js";

/** Adds the top property key/value pairs of each listed event name, `limit` per event. */
export async function attachRawProps(s: RawScope, rows: EventRow[]): Promise<void> {
  if (rows.length === 0) return;
  const names = rows.map((r) => r.name);
  const props = await s.db.all(
    `SELECT e.name AS name, p.key AS key, ${s.db.propValueText} AS value, COUNT(*) AS count
       FROM events e ${s.db.propsJoin}
      WHERE e.site = ? AND e.ts >= ? AND e.ts < ? AND e.type IN ('event', 'server') AND e.props IS NOT NULL
        AND e.name IN (${names.map(() => "?").join(", ")})
      GROUP BY e.name, p.key, ${s.db.propValueText}
      ORDER BY count DESC, key, value`,
    [...s.params, ...names],
  );
  const byName = new Map(rows.map((r) => [r.name, r]));
  for (const p of props) {
    const row = byName.get(str(p.name));
    if (row && row.props.length < s.limit)
      row.props.push({ key: str(p.key), value: str(p.value), count: num(p.count) });
  }
}
