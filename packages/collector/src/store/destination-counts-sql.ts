/**
 * SQL of the `destination_counts` table, the same for SQLite and PostgreSQL but for placeholders: `?` there,
 * `$n` here. Counts are added up, so collectors sharing a store each add theirs.
 */
export function destinationCountsSql(placeholder: (index: number) => string) {
  const p = placeholder;
  return {
    add: `INSERT INTO destination_counts (destination, hour, collected, forwarded, failed, dropped)
      VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)})
      ON CONFLICT (destination, hour) DO UPDATE SET collected = destination_counts.collected + excluded.collected,
        forwarded = destination_counts.forwarded + excluded.forwarded,
        failed = destination_counts.failed + excluded.failed, dropped = destination_counts.dropped + excluded.dropped`,
    range: `SELECT destination, SUM(collected) AS collected, SUM(forwarded) AS forwarded, SUM(failed) AS failed,
        SUM(dropped) AS dropped
      FROM destination_counts WHERE hour >= ${p(1)} AND hour < ${p(2)} GROUP BY destination ORDER BY destination`,
    /** Retention: the counts of hours that ended before the cutoff go with their events. */
    deleteBefore: `DELETE FROM destination_counts WHERE hour + 3600000 <= ${p(1)}`,
  };
}

/** The first hour whose start is in a range starting at `from`: counts are kept per UTC hour. */
export function firstHourFrom(from: Date): number {
  return Math.ceil(from.getTime() / 3_600_000) * 3_600_000;
}
