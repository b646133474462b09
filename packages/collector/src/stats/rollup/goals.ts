import { goalFigures } from "../raw/goals.js";
import { num } from "../read-row.js";
import type { GoalRow, StatsQuery } from "../types.js";
import { type JourneySource, matchingEvents, unionAll } from "./journeys.js";

/**
 * Per goal, the people who converted in `[from, to)` and in the period of the same length before it, from the
 * journeys of covered hours and the raw events of the rest (`journeys.ts`). People are counted by their rollup
 * id, plus, apart, those that have none yet. `visitors` is the range's visitor count (the base).
 */
export async function rollupGoals(s: JourneySource, q: StatsQuery, visitors: number): Promise<GoalRow[]> {
  const goals = q.goals ?? [];
  if (goals.length === 0) return [];
  const from = q.from.getTime();
  const to = q.to.getTime();
  const rows = unionAll(goals.map((goal, i) => matchingEvents(s, i, goal.match, from - (to - from), to)));
  const counted = await s.db.all(
    `SELECT label,
            COUNT(DISTINCT CASE WHEN ts >= ? THEN person_id END)
              + COUNT(DISTINCT CASE WHEN ts >= ? THEN person_key END) AS converted,
            COUNT(DISTINCT CASE WHEN ts < ? THEN person_id END)
              + COUNT(DISTINCT CASE WHEN ts < ? THEN person_key END) AS previous
       FROM (${rows.sql}) x GROUP BY label`,
    [from, from, from, from, ...rows.params],
  );
  const byGoal = new Map(counted.map((r) => [num(r.label), r]));
  return goals.map((goal, i) => {
    const r = byGoal.get(i);
    return goalFigures(goal, r ? num(r.converted) : 0, r ? num(r.previous) : 0, visitors);
  });
}
