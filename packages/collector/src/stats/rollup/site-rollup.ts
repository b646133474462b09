/** Runs one statement (with `?` placeholders) in the current rollup transaction; rows for queries. */
export type RunSql = (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

/** A site's rollup state: its id in the rollup tables, hours built before `builtTo`, none before `floor`. */
export interface SiteRollup {
  site: string;
  id: number;
  builtTo: number;
  floor: number;
}
