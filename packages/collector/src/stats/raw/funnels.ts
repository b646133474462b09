import { describeMatch } from "../conversion-match.js";
import { num, str } from "../read-row.js";
import { PERSON_SQL, type StatsDialect } from "../stats-dialect.js";
import type { FunnelDefinition, FunnelRow, FunnelStepRow, StatsQuery } from "../types.js";
import { matchSql } from "./match-sql.js";

/** One event that matches a step (an event matching two steps comes once per step). */
export interface StepHit {
  step: number;
  ts: number;
  id: number;
}

/** Per funnel, the people who did its steps in order within one session of `[from, to)`. */
export async function rawFunnels(db: StatsDialect, q: StatsQuery): Promise<FunnelRow[]> {
  const funnels = q.funnels ?? [];
  return Promise.all(funnels.map((funnel) => funnelRow(db, q, funnel)));
}

/**
 * The range's events that match any step, one pass through the `(site, ts)` index, with a 0/1 column per step
 * (an event may match several).
 */
function hitsQuery(db: StatsDialect, q: StatsQuery, funnel: FunnelDefinition) {
  const matches = funnel.steps.map((step) => matchSql(db, step));
  const flags = matches.map((m, k) => `CASE WHEN ${m.sql} THEN 1 ELSE 0 END AS step_${k}`);
  return {
    sql: `SELECT session_id, ${PERSON_SQL} AS person, ts, id, ${flags.join(", ")}
            FROM events WHERE site = ? AND ts >= ? AND ts < ? AND (${matches.map((m) => `(${m.sql})`).join(" OR ")})`,
    params: [
      ...matches.flatMap((m) => m.params),
      q.site,
      q.from.getTime(),
      q.to.getTime(),
      ...matches.flatMap((m) => m.params),
    ],
  };
}

/**
 * Walks each session's events of the steps (`peoplePerStep`). Sessions are split by person (a visitor who signs in
 * mid-session continues as their user), as every figure counts people.
 */
async function funnelRow(db: StatsDialect, q: StatsQuery, funnel: FunnelDefinition): Promise<FunnelRow> {
  const hits = hitsQuery(db, q, funnel);
  const rows = await db.all(hits.sql, hits.params);
  const journeys = new Map<string, Journey>();
  for (const r of rows) {
    const person = str(r.person);
    const key = `${str(r.session_id)}\u0000${person}`;
    let journey = journeys.get(key);
    if (!journey) {
      journey = { person, hits: [] };
      journeys.set(key, journey);
    }
    for (let k = 0; k < funnel.steps.length; k++) {
      if (num(r[`step_${k}`]) === 1) journey.hits.push({ step: k, ts: num(r.ts), id: num(r.id) });
    }
  }
  return funnelFigures(funnel, peoplePerStep(funnel.steps.length, journeys.values()));
}

/** One session's step hits, of one person. */
export interface Journey {
  person: string;
  hits: StepHit[];
}

/**
 * People per step: those with a journey whose hits, in time order, do the steps up to it. A step counts at the
 * first event after the previous step's event that matches it.
 */
export function peoplePerStep(steps: number, journeys: Iterable<Journey>): number[] {
  const reached = Array.from({ length: steps }, () => new Set<string>());
  for (const { person, hits } of journeys) {
    const done = stepsDone(hits);
    for (let k = 0; k < done; k++) reached[k]?.add(person);
  }
  return reached.map((people) => people.size);
}

/** How many steps, from the first, one session's hits complete in order (one event counts for one step). */
function stepsDone(hits: StepHit[]): number {
  hits.sort((a, b) => a.ts - b.ts || a.id - b.id || a.step - b.step);
  let next = 0;
  let lastId = Number.NaN;
  for (const hit of hits) {
    if (hit.id === lastId) continue;
    if (hit.step === next) {
      next++;
      lastId = hit.id;
    }
  }
  return next;
}

/** A funnel's row from its people per step. */
export function funnelFigures(funnel: FunnelDefinition, people: number[]): FunnelRow {
  const first = people[0] ?? 0;
  const steps: FunnelStepRow[] = funnel.steps.map((step, k) => {
    const visitors = people[k] ?? 0;
    const previous = k === 0 ? visitors : (people[k - 1] ?? 0);
    return {
      match: describeMatch(step),
      visitors,
      stepConversion: k === 0 ? 1 : previous === 0 ? 0 : visitors / previous,
      overallConversion: first === 0 ? 0 : visitors / first,
      dropOff: k === 0 ? 0 : previous - visitors,
    };
  });
  return { name: funnel.name, steps };
}
