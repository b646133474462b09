import type { RollupDialect } from "../stats-dialect.js";
import type { StatsQuery } from "../types.js";
import type { EdgeEvent } from "./edge-events.js";
import type { Cover } from "./rollup-plan.js";
import type { WindowPlan } from "./windows.js";

/** What every rollup figure reads: the covered hours of the whole range and the raw events around them. */
export interface RollupScope {
  db: RollupDialect;
  query: StatsQuery;
  siteId: number;
  /** Whole hours of the range the rollups answer. */
  cover: Cover;
  /** Rows per table. */
  limit: number;
  /** Text order of ties, as the database sorts them. */
  order: (a: string, b: string) => number;
  plan: WindowPlan;
  /** Raw events of every window's uncovered parts, and those of the whole range, in time order. */
  edges: EdgeEvent[];
  mainEdges: EdgeEvent[];
}
