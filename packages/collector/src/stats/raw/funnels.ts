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

/** The people of a funnel's step hits (one per event and step it matches), with the session and person. */
async function funnelRow(db: StatsDialect, q: StatsQuery, funnel: FunnelDefinition): Promise<FunnelRow> {
  const hits = hitsQuery(db, q, funnel);
  const rows = await db.all(hits.sql, hits.params);
  const journeyHits: JourneyHit[] = [];
  for (const r of rows) {
    for (let k = 0; k < funnel.steps.length; k++) {
      if (num(r[`step_${k}`]) === 1)
        journeyHits.push({
          session: str(r.session_id),
          person: str(r.person),
          step: k,
          ts: num(r.ts),
          id: num(r.id),
        });
    }
  }
  return funnelFromHits(funnel, journeyHits);
}

/** A step hit with the session and person it belongs to. */
export interface JourneyHit extends StepHit {
  session: string;
  person: string;
}

/**
 * Walks each session's hits in time order: a step counts at the first event after the previous step's event
 * that matches it. Sessions are split by person (a visitor who signs in mid-session continues as their user),
 * as every figure counts people.
 */
export function funnelFromHits(funnel: FunnelDefinition, hits: JourneyHit[]): FunnelRow {
  const journeys = new Map<string, { person: string; hits: StepHit[] }>();
  for (const hit of hits) {
    const key = `${hit.session}\u0000${hit.person}`;
    let journey = journeys.get(key);
    if (!journey) {
      journey = { person: hit.person, hits: [] };
      journeys.set(key, journey);
    }
    journey.hits.push(hit);
  }
  const reached = funnel.steps.map(() => new Set<string>());
  for (const { person, hits } of journeys.values()) {
    const done = stepsDone(hits);
    for (let k = 0; k < done; k++) reached[k]?.add(person);
  }
  return funnelFigures(
    funnel,
    reached.map((people) => people.size),
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
