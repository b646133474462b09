/**
 * The distinct sites, one index probe each on `(site, ts)` (a loose index scan) instead of reading every row.
 * Shared SQL for both stores.
 */
export const DISTINCT_SITES_SQL = `WITH RECURSIVE s(site) AS (
    SELECT MIN(site) FROM events
    UNION ALL
    SELECT (SELECT MIN(e.site) FROM events e WHERE e.site > s.site) FROM s WHERE s.site IS NOT NULL
  ) SELECT site FROM s WHERE site IS NOT NULL`;
