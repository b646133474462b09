import { funnelFigures, type Journey, peoplePerStep } from "../raw/funnels.js";
import { num, str } from "../read-row.js";
import type { FunnelDefinition, FunnelRow, StatsQuery } from "../types.js";
import { type JourneySource, matchingEvents, PEOPLE_SQL, unionAll } from "./journeys.js";

/** Per funnel, the people who did its steps in order within one session of `[from, to)`. */
export async function rollupFunnels(s: JourneySource, q: StatsQuery): Promise<FunnelRow[]> {
  return Promise.all((q.funnels ?? []).map((funnel) => funnelRow(s, q, funnel)));
}

/**
 * The first step's people in one count; the later steps from the journeys (session and person) that did the
 * first step and then an event of the second, gathered in the store: one row each, its hits as `step:ts:id`
 * text, walked in `peoplePerStep`. Fetching each hit as a row of its own costs more than the store's whole read.
 */
async function funnelRow(s: JourneySource, q: StatsQuery, funnel: FunnelDefinition): Promise<FunnelRow> {
  const from = q.from.getTime();
  const to = q.to.getTime();
  const [first] = funnel.steps;
  if (!first) return funnelFigures(funnel, []);
  const starts = matchingEvents(s, 0, first, from, to);
  const rows = unionAll(funnel.steps.map((step, k) => matchingEvents(s, k, step, from, to)));
  const [[started], found] = await Promise.all([
    s.db.all(`SELECT ${PEOPLE_SQL} AS people FROM (${starts.sql}) h`, starts.params),
    s.db.all(
      `SELECT person_id, person_key,
              string_agg(CAST(label AS TEXT) || ':' || CAST(ts AS TEXT) || ':' || CAST(id AS TEXT), ',') AS hits
         FROM (${rows.sql}) h GROUP BY session, person_id, person_key
       HAVING MAX(CASE WHEN label = 1 THEN ts END) >= MIN(CASE WHEN label = 0 THEN ts END)`,
      rows.params,
    ),
  ]);
  const journeys: Journey[] = found.map((r) => ({
    person:
      r.person_id === null || r.person_id === undefined
        ? `key:${str(r.person_key)}`
        : `id:${num(r.person_id)}`,
    hits: str(r.hits)
      .split(",")
      .map((hit) => {
        const [step, ts, id] = hit.split(":");
        return { step: Number(step), ts: Number(ts), id: Number(id) };
      }),
  }));
  const people = peoplePerStep(funnel.steps.length, journeys);
  people[0] = num(started?.people);
  return funnelFigures(funnel, people);
}
