import type { StatsDialect } from "../stats-dialect.js";

/** One query's range over raw events: `[from, to)` on the receive time `ts`, through the `(site, ts)` index. */
export interface RawScope {
  db: StatsDialect;
  site: string;
  from: number;
  to: number;
  /** Rows per table. */
  limit: number;
  /** `WHERE` condition of the range, and its parameters. */
  range: string;
  params: unknown[];
}

export function rawScope(db: StatsDialect, site: string, from: number, to: number, limit: number): RawScope {
  return { db, site, from, to, limit, range: "site = ? AND ts >= ? AND ts < ?", params: [site, from, to] };
}
