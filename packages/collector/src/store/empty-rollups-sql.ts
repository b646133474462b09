/**
 * Empties the rollup tables that exist as of SQLite migration 10 and PostgreSQL migration 9, so the next rollup
 * pass rebuilds every figure from the events. Migrations are never edited once applied: a later migration that
 * needs the same must list its own tables.
 */
export const EMPTY_ROLLUPS_SQL = [
  "stats_counters",
  "stats_sessions",
  "stats_people_day",
  "stats_people",
  "stats_dimension_values",
  "stats_values",
  "stats_persons",
  "stats_stale",
  "stats_sites",
]
  .map((table) => `DELETE FROM ${table};`)
  .join("\n");
