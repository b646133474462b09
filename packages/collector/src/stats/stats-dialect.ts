/** What differs between the stores' SQL dialects; everything else in the stats queries is shared text. */
export interface StatsDialect {
  /** Runs a query written with `?` placeholders. */
  all(sql: string, params: unknown[]): Promise<Record<string, unknown>[]>;
  /** A CTE `buckets(i, s, e)` over the given boundaries, plus its parameters. */
  bucketsCte(starts: number[], ends: number[]): CteSql;
  /** FROM-clause suffix expanding `e.props` into rows `p.key`, and the text expression of the value. */
  propsJoin: string;
  propValueText: string;
  /** Text of a top-level property of `props`, or NULL. `key` is a trusted literal. */
  propText(key: string): string;
  /** Condition on `path` for a page pattern where `*` stands for any characters. */
  pathMatch(pattern: string): CteSql;
}

/** SQL fragments the rollups need on top of those of the raw-event queries. */
export interface RollupDialect extends StatsDialect {
  /** A CTE `name(columns…)` over literal rows, and its parameters. */
  rowsCte(name: string, columns: Array<[string, "int" | "text"]>, rows: unknown[][]): CteSql;
  /** JSON array text of the SQL expressions (the key of a UTM triple). */
  jsonArray(exprs: string[]): string;
  /** Whether `ORDER BY x` puts NULL first (SQLite) or last (PostgreSQL). */
  nullsFirst: boolean;
  /** Pins a table reference to an index where the planner would pick worse (SQLite `INDEXED BY`), or "". */
  indexedBy(index: string): string;
  /**
   * Empties a scratch table kept for the connection's life: PostgreSQL's DELETE would leave dead rows that
   * nothing vacuums in a temporary table, so it truncates.
   */
  emptyTable(table: string): string;
}

export interface CteSql {
  sql: string;
  params: unknown[];
}

/** One identity per person: the signed-in user when known, else the daily visitor hash. */
export const PERSON_SQL = "COALESCE(user_id, visitor_id)";
/** Custom events: those the browser sends by name and those of the server-side tracker. */
export const CUSTOM_SQL = "type IN ('event', 'server')";
export const PAGEVIEW_COUNT_SQL = "SUM(CASE WHEN type = 'pageview' THEN 1 ELSE 0 END)";
/** The label of pageviews without a referrer. */
export const DIRECT = "Direct / None";

/** The search term of a custom event: its `query`, `q` or `term` property, trimmed and lower-cased. */
export function termSql(d: StatsDialect): string {
  return `LOWER(TRIM(COALESCE(${d.propText("query")}, ${d.propText("q")}, ${d.propText("term")})))`;
}
