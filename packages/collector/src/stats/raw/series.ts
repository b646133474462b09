import { num } from "../read-row.js";
import { formatZoned, timeBuckets } from "../time-zone.js";
import type { SeriesPoint, StatsInterval } from "../types.js";
import type { RawScope } from "./raw-scope.js";

/** Visitors and pageviews per time bucket of the range (local buckets of `timezone`). */
export async function rawSeries(
  s: RawScope,
  timezone: string,
  interval: StatsInterval,
): Promise<SeriesPoint[]> {
  const buckets = timeBuckets(timezone, s.from, s.to, interval);
  const cte = s.db.bucketsCte(
    buckets.map((b) => b.start),
    buckets.map((b) => b.end),
  );
  const rows = await s.db.all(
    `WITH ${cte.sql}
     SELECT b.i AS i, COUNT(DISTINCT COALESCE(e.user_id, e.visitor_id)) AS visitors,
            SUM(CASE WHEN e.type = 'pageview' THEN 1 ELSE 0 END) AS pageviews
       FROM buckets b
       LEFT JOIN events e ON e.site = ? AND e.ts >= b.s AND e.ts < b.e AND e.ts >= ? AND e.ts < ?
      GROUP BY b.i ORDER BY b.i`,
    [...cte.params, ...s.params],
  );
  const byIndex = new Map(rows.map((r) => [num(r.i), r]));
  return buckets.map((b, i) => {
    const row = byIndex.get(i);
    return {
      bucket: formatZoned(timezone, b.start),
      visitors: num(row?.visitors),
      pageviews: num(row?.pageviews),
    };
  });
}
