import { describeMatch } from "../conversion-match.js";
import { num, str } from "../read-row.js";
import { PERSON_SQL, type StatsDialect } from "../stats-dialect.js";
import type { FunnelDefinition, FunnelRow, FunnelStepRow, StatsQuery } from "../types.js";
import { matchSql } from "./match-sql.js";

/** One event that matches a step (an event matching two steps comes once per step). */
interface StepHit {
  step: number;
  ts: number;
  id: number;
}

/** Per funnel, the people who did its steps in order within one session of `[from, to)`. */
export async function rawFunnels(db: StatsDialect, q: StatsQuery): Promise<FunnelRow[]> {
  const funnels = q.funnels ?? [];
  return Promise.all(funnels.map((funnel) => funnelRow(db, q, funnel)));
}

/** One step's events in the range, and its parameters. */
function stepSql(db: StatsDialect, q: StatsQuery, funnel: FunnelDefinition, k: number) {
  const match = matchSql(db, funnel.steps[k] as FunnelDefinition["steps"][number]);
  return {
    sql: `FROM events WHERE site = ? AND ts >= ? AND ts < ? AND ${match.sql}`,
    params: [q.site, q.from.getTime(), q.to.getTime(), ...match.params],
  };
}

/**
 * The events of every step in the sessions that could get past the first step. Rows leave the database one by
 * one, so most are cut in SQL: `hits_k` holds the events of step k in the sessions that hold events of every
 * step before it (in any order), each step's index range read once; the first step's events are kept for the
 * sessions that reach `hits_1`. MATERIALIZED: each `hits_k` is read twice, and would otherwise be inlined.
 */
function hitsQuery(db: StatsDialect, q: StatsQuery, funnel: FunnelDefinition) {
  const ctes: string[] = [];
  const params: unknown[] = [];
  funnel.steps.forEach((_, k) => {
    const step = stepSql(db, q, funnel, k);
    const within = k === 0 ? "" : ` AND session_id IN (SELECT session_id FROM hits_${k - 1})`;
    ctes.push(
      `hits_${k} AS MATERIALIZED (SELECT session_id, ${PERSON_SQL} AS person, ts, id ${step.sql}${within})`,
    );
    params.push(...step.params);
  });
  const parts = funnel.steps.map((_, k) => {
    const within = k === 0 ? " WHERE session_id IN (SELECT session_id FROM hits_1)" : "";
    return `SELECT ${k} AS step, session_id, person, ts, id FROM hits_${k}${within}`;
  });
  return { sql: `WITH ${ctes.join(", ")} ${parts.join(" UNION ALL ")}`, params };
}

/**
 * Walks each session's events of the steps in time order: a step counts at the first event after the previous
 * step's event that matches it. Sessions are split by person (a visitor who signs in mid-session continues as
 * their user), as every figure counts people. The first step needs no walk: its people are counted in SQL.
 */
async function funnelRow(db: StatsDialect, q: StatsQuery, funnel: FunnelDefinition): Promise<FunnelRow> {
  const first = stepSql(db, q, funnel, 0);
  const hits = hitsQuery(db, q, funnel);
  const [[entered = {}], rows] = await Promise.all([
    db.all(`SELECT COUNT(DISTINCT ${PERSON_SQL}) AS people ${first.sql}`, first.params),
    db.all(hits.sql, hits.params),
  ]);
  const journeys = new Map<string, { person: string; hits: StepHit[] }>();
  for (const r of rows) {
    const person = str(r.person);
    const key = `${str(r.session_id)}\u0000${person}`;
    let journey = journeys.get(key);
    if (!journey) {
      journey = { person, hits: [] };
      journeys.set(key, journey);
    }
    journey.hits.push({ step: num(r.step), ts: num(r.ts), id: num(r.id) });
  }
  const reached = funnel.steps.map(() => new Set<string>());
  for (const { person, hits } of journeys.values()) {
    const done = stepsDone(hits);
    for (let k = 1; k < done; k++) reached[k]?.add(person);
  }
  return funnelFigures(
    funnel,
    reached.map((people, k) => (k === 0 ? num(entered.people) : people.size)),
  );
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
function funnelFigures(funnel: FunnelDefinition, people: number[]): FunnelRow {
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
