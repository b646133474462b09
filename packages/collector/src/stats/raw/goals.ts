import { describeMatch } from "../conversion-match.js";
import { num } from "../read-row.js";
import { PERSON_SQL, type StatsDialect } from "../stats-dialect.js";
import type { GoalDefinition, GoalRow, StatsQuery } from "../types.js";
import { matchSql } from "./match-sql.js";

/**
 * Per goal, the people who converted in `[from, to)` and in the period of the same length before it: one pass
 * over both periods' events through the `(site, ts)` index, one pair of conditional counts per goal. No index
 * of its own: ingestion pays for every index on `events`. `visitors` is the range's visitor count (the base).
 */
export async function rawGoals(db: StatsDialect, q: StatsQuery, visitors: number): Promise<GoalRow[]> {
  const goals = q.goals ?? [];
  if (goals.length === 0) return [];
  const from = q.from.getTime();
  const to = q.to.getTime();
  const matches = goals.map((goal) => matchSql(db, goal.match));
  const counts = matches.map(
    (m, i) =>
      `COUNT(DISTINCT CASE WHEN ts >= ? AND ${m.sql} THEN ${PERSON_SQL} END) AS visitors_${i},
       COUNT(DISTINCT CASE WHEN ts < ? AND ${m.sql} THEN ${PERSON_SQL} END) AS previous_${i}`,
  );
  const [row = {}] = await db.all(
    `SELECT ${counts.join(", ")}
       FROM events WHERE site = ? AND ts >= ? AND ts < ? AND (${matches.map((m) => `(${m.sql})`).join(" OR ")})`,
    [
      ...matches.flatMap((m) => [from, ...m.params, from, ...m.params]),
      q.site,
      from - (to - from),
      to,
      ...matches.flatMap((m) => m.params),
    ],
  );
  return goals.map((goal, i) =>
    goalFigures(goal, num(row[`visitors_${i}`]), num(row[`previous_${i}`]), visitors),
  );
}

/** A goal's row from its counts: the rate over the range's visitors and the change against before. */
export function goalFigures(
  goal: GoalDefinition,
  converted: number,
  previous: number,
  visitors: number,
): GoalRow {
  return {
    name: goal.name,
    match: describeMatch(goal.match),
    visitors: converted,
    conversionRate: visitors === 0 ? 0 : converted / visitors,
    previousVisitors: previous,
    change: previous === 0 ? null : (converted - previous) / previous,
  };
}
