import { describeMatch } from "../conversion-match.js";
import { num } from "../read-row.js";
import { PERSON_SQL, type StatsDialect } from "../stats-dialect.js";
import type { GoalDefinition, GoalRow, StatsQuery } from "../types.js";
import { matchSql } from "./match-sql.js";

/**
 * Per goal, the people who converted in `[from, to)` and in the period of the same length before it, in one
 * pass over the goal's rows of the partial index. `visitors` is the range's visitor count (the rate's base).
 */
export async function rawGoals(db: StatsDialect, q: StatsQuery, visitors: number): Promise<GoalRow[]> {
  const goals = q.goals ?? [];
  return Promise.all(goals.map((goal) => goalRow(db, q, goal, visitors)));
}

async function goalRow(db: StatsDialect, q: StatsQuery, goal: GoalDefinition, visitors: number) {
  const from = q.from.getTime();
  const to = q.to.getTime();
  const match = matchSql(db, goal.match);
  const [row = {}] = await db.all(
    `SELECT COUNT(DISTINCT CASE WHEN ts >= ? THEN ${PERSON_SQL} END) AS visitors,
            COUNT(DISTINCT CASE WHEN ts < ? THEN ${PERSON_SQL} END) AS previous
       FROM events WHERE site = ? AND ts >= ? AND ts < ? AND ${match.sql}`,
    [from, from, q.site, from - (to - from), to, ...match.params],
  );
  return goalFigures(goal, num(row.visitors), num(row.previous), visitors);
}

/** A goal's row from its counts: the rate over the range's visitors and the change against before. */
function goalFigures(goal: GoalDefinition, converted: number, previous: number, visitors: number): GoalRow {
  return {
    name: goal.name,
    match: describeMatch(goal.match),
    visitors: converted,
    conversionRate: visitors === 0 ? 0 : converted / visitors,
    previousVisitors: previous,
    change: previous === 0 ? null : (converted - previous) / previous,
  };
}
