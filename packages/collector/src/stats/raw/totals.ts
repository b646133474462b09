import { num } from "../read-row.js";
import { CUSTOM_SQL, PAGEVIEW_COUNT_SQL, PERSON_SQL } from "../stats-dialect.js";
import type { StatsTotals } from "../types.js";
import type { RawScope } from "./raw-scope.js";

/** Visitors, pageviews and custom events of the range (the session figures come from `sessions.ts`). */
export async function rawTotals(
  s: RawScope,
): Promise<Pick<StatsTotals, "visitors" | "pageviews" | "events">> {
  const [row = {}] = await s.db.all(
    `SELECT COUNT(DISTINCT ${PERSON_SQL}) AS visitors, ${PAGEVIEW_COUNT_SQL} AS pageviews,
            SUM(CASE WHEN ${CUSTOM_SQL} THEN 1 ELSE 0 END) AS events
       FROM events WHERE ${s.range}`,
    s.params,
  );
  return { visitors: num(row.visitors), pageviews: num(row.pageviews), events: num(row.events) };
}
