/**
 * SQL of the `document_counts` table, the same for SQLite and PostgreSQL but for placeholders: `?` there, `$n`
 * here. Per site, page path and UTC hour: pages served with the snippet (`served`, the injector's counts) and the
 * first pageviews of such pages the collector stored (`reported`). Counts are added up, so collectors and
 * injectors sharing a store each add theirs.
 */
export function documentCountsSql(placeholder: (index: number) => string) {
  const p = placeholder;
  return {
    add: `INSERT INTO document_counts (site, path, hour, served, reported)
      VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)})
      ON CONFLICT (site, hour, path) DO UPDATE SET served = document_counts.served + excluded.served,
        reported = document_counts.reported + excluded.reported`,
    range: `SELECT path, SUM(served) AS served, SUM(reported) AS reported
      FROM document_counts WHERE site = ${p(1)} AND hour >= ${p(2)} AND hour < ${p(3)} GROUP BY path`,
    /** Retention: the counts of hours that ended before the cutoff go with their events. */
    deleteBefore: `DELETE FROM document_counts WHERE hour + 3600000 <= ${p(1)}`,
  };
}
