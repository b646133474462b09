import { num } from "../read-row.js";
import { formatZoned } from "../time-zone.js";
import type { SeriesPoint } from "../types.js";
import { edgesIn } from "./edge-events.js";
import type { PeopleOf } from "./people.js";
import { bump } from "./ranking.js";
import { splitCover } from "./rollup-plan.js";
import { dayCounter } from "./rollup-schema.js";
import type { RollupScope } from "./rollup-scope.js";

/**
 * Pageviews of each series bucket: covered `totals` counters (per hour and per day, and for a half hour at either
 * end the pageviews of the hour's halves) plus the raw parts.
 */
async function bucketPageviews(s: RollupScope): Promise<Map<number, number>> {
  const windows = s.plan.bucketWindows;
  const pageviews = new Map<number, number>();
  if (windows.some((w) => w.cover)) {
    const cte = s.db.rowsCte(
      "w",
      ["i", "start_hour", "lead_end", "days_start", "days_end", "tail_start", "end_hour", "head", "tail"].map(
        (c): [string, "int" | "text"] => [c, "int"],
      ),
      windows.flatMap((w) => {
        if (!w.cover) return [];
        const c = splitCover(w.cover);
        const halves = [Number(w.cover.headHalf), Number(w.cover.tailHalf)];
        return [[w.id, c.startHour, c.leadEnd, c.daysStart, c.daysEnd, c.tailStart, c.endHour, ...halves]];
      }),
    );
    const sum = (counter: string, from: string, to: string) =>
      `COALESCE((SELECT SUM(c.count1) FROM stats_counters c WHERE c.site_id = ? AND c.counter = '${counter}'
                    AND c.hour >= w.${from} AND c.hour < w.${to}), 0)`;
    // `measure` of `totals`: the pageviews of the hour's first half.
    const half = (pageviews: string, hour: string, taken: string) =>
      `COALESCE((SELECT ${pageviews} FROM stats_counters c WHERE c.site_id = ? AND c.counter = 'totals'
                    AND c.hour = ${hour} AND w.${taken} = 1), 0)`;
    const rows = await s.db.all(
      `WITH ${cte.sql}
       SELECT w.i AS i, ${sum("totals", "start_hour", "lead_end")} + ${sum(dayCounter("totals"), "days_start", "days_end")}
              + ${sum("totals", "tail_start", "end_hour")} + ${half("c.count1 - c.measure", "w.start_hour - 1", "head")}
              + ${half("c.measure", "w.end_hour", "tail")} AS n
         FROM w`,
      [...cte.params, s.siteId, s.siteId, s.siteId, s.siteId, s.siteId],
    );
    for (const r of rows) pageviews.set(num(r.i), num(r.n));
  }
  for (const w of windows)
    for (const e of edgesIn(s.edges, w.raw)) if (e.type === "pageview") bump(pageviews, w.id, 1);
  return pageviews;
}

/** Visitors and pageviews per time bucket. */
export async function rollupSeries(s: RollupScope, people: PeopleOf): Promise<SeriesPoint[]> {
  const pageviews = await bucketPageviews(s);
  return s.plan.buckets.map((b, i) => {
    const id = s.plan.bucketWindows[i]?.id ?? 0;
    return {
      bucket: formatZoned(s.query.timezone, b.start),
      visitors: people(id, "all").get("") ?? 0,
      pageviews: pageviews.get(id) ?? 0,
    };
  });
}
