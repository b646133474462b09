import { funnelFromHits, type JourneyHit } from "../raw/funnels.js";
import { num, str } from "../read-row.js";
import type { FunnelDefinition, FunnelRow, StatsQuery } from "../types.js";
import { type JourneySource, matchingEvents, unionAll } from "./journeys.js";

/** Per funnel, the people who did its steps in order within one session of `[from, to)`. */
export async function rollupFunnels(s: JourneySource, q: StatsQuery): Promise<FunnelRow[]> {
  return Promise.all((q.funnels ?? []).map((funnel) => funnelRow(s, q, funnel)));
}

/** One read of the events matching any step (labelled by step), walked per session in `funnelFromHits`. */
async function funnelRow(s: JourneySource, q: StatsQuery, funnel: FunnelDefinition): Promise<FunnelRow> {
  const from = q.from.getTime();
  const to = q.to.getTime();
  const rows = unionAll(funnel.steps.map((step, k) => matchingEvents(s, k, step, from, to)));
  const hits: JourneyHit[] = (await s.db.all(rows.sql, rows.params)).map((r) => ({
    session: str(r.session),
    // The same person has an id in journey rows and may have one in raw rows: the id when there is one.
    person:
      r.person_id === null || r.person_id === undefined
        ? `key:${str(r.person_key)}`
        : `id:${num(r.person_id)}`,
    step: num(r.label),
    ts: num(r.ts),
    id: num(r.id),
  }));
  return funnelFromHits(funnel, hits);
}
