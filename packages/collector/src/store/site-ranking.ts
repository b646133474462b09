import { DISTINCT_SITES_SQL } from "../stats/distinct-sites-sql.js";
import { HOUR_MS } from "../stats/rollup/rollup-plan.js";
import type { SitePageviews } from "../stats/types.js";

/** How far back the ranking counts pageviews: the sites in use now, not the ones used a year ago. */
export const SITE_RANKING_DAYS = 30;

/**
 * Each site's pageviews since `?` (epoch ms, also given as epoch hour): the hours its rollups cover from the
 * hourly `totals` counters, the rest (not built yet, or a site the rollups have not registered) from its events.
 * Shared SQL for both stores; one index range per site.
 */
const SITE_RANKING_SQL = `SELECT k.site AS site,
    COALESCE((SELECT SUM(c.count1) FROM stats_sites r JOIN stats_counters c ON c.site_id = r.id
               WHERE r.site = k.site AND c.counter = 'totals' AND c.hour >= ? AND c.hour < r.built_to), 0)
    + (SELECT COUNT(*) FROM events e
        WHERE e.site = k.site AND e.ts >= ? AND e.type = 'pageview'
          AND e.ts >= COALESCE((SELECT r.built_to FROM stats_sites r WHERE r.site = k.site), 0) * ${HOUR_MS}
      ) AS pageviews
  FROM (${DISTINCT_SITES_SQL}) AS k
  ORDER BY pageviews DESC, site
  LIMIT ?`;

/** The `limit` sites with the most pageviews in the last `SITE_RANKING_DAYS` days at `now`, most first. */
export async function rankSites(
  all: (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]>,
  now: number,
  limit: number,
): Promise<SitePageviews[]> {
  const since = now - SITE_RANKING_DAYS * 86_400_000;
  const rows = await all(SITE_RANKING_SQL, [Math.floor(since / HOUR_MS), since, limit]);
  return rows.map((r) => ({ site: String(r.site), pageviews: Number(r.pageviews ?? 0) }));
}
