import { num } from "../read-row.js";
import { readCounter } from "./counters.js";
import { isCustom } from "./edge-events.js";
import type { RollupScope } from "./rollup-scope.js";

/** Pageviews and custom events of the range: the covered counters plus the raw parts. */
export async function rollupEventTotals(s: RollupScope): Promise<{ pageviews: number; events: number }> {
  const [totals] = await readCounter(s.db, s.siteId, s.cover, "totals");
  let pageviews = num(totals?.count1);
  let events = num(totals?.count2);
  for (const e of s.mainEdges) {
    if (e.type === "pageview") pageviews++;
    else if (isCustom(e.type)) events++;
  }
  return { pageviews, events };
}
