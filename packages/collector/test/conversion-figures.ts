import type { ConversionMatch, FunnelDefinition, GoalDefinition, StatsQuery } from "../src/stats/types.js";
import type { StoredEvent } from "../src/store/types.js";

/**
 * Goal and funnel figures computed in plain JS over the events a test inserted (in insertion order), the way the
 * docs define them, to compare with what the stores answer.
 */

const person = (e: StoredEvent) => e.userId ?? e.visitorId;

/** `*` = any characters; everything else literal. */
function pathRegex(pattern: string): RegExp {
  const literal = pattern.split("*").map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${literal.join("[\\s\\S]*")}$`, "u");
}

export function matches(e: StoredEvent, m: ConversionMatch): boolean {
  if (m.kind === "page") return e.type === "pageview" && e.path !== null && pathRegex(m.path).test(e.path);
  if (e.type !== "event" && e.type !== "server") return false;
  if (e.name !== m.name) return false;
  return Object.entries(m.props).every(([k, v]) => {
    const value = e.props?.[k];
    return typeof value === "string" && value === v;
  });
}

const inRange = (e: StoredEvent, site: string, from: number, to: number) =>
  e.site === site && e.ts >= from && e.ts < to;

export interface ExpectedGoal {
  name: string;
  visitors: number;
  previousVisitors: number;
  conversionRate: number;
}

export function expectedGoals(events: StoredEvent[], q: StatsQuery, goals: GoalDefinition[]): ExpectedGoal[] {
  const from = q.from.getTime();
  const to = q.to.getTime();
  const peopleOf = (list: StoredEvent[]) => new Set(list.map(person)).size;
  const visitors = peopleOf(events.filter((e) => inRange(e, q.site, from, to)));
  return goals.map((g) => {
    const converted = peopleOf(events.filter((e) => inRange(e, q.site, from, to) && matches(e, g.match)));
    const before = events.filter((e) => inRange(e, q.site, from - (to - from), from) && matches(e, g.match));
    return {
      name: g.name,
      visitors: converted,
      previousVisitors: peopleOf(before),
      conversionRate: visitors === 0 ? 0 : converted / visitors,
    };
  });
}

/** Whether steps[from…] can be matched, in order, by distinct events of `list` starting at `start`. */
function canDo(list: StoredEvent[], steps: ConversionMatch[], step: number, start: number): boolean {
  if (step === steps.length) return true;
  for (let i = start; i < list.length; i++) {
    if (
      matches(list[i] as StoredEvent, steps[step] as ConversionMatch) &&
      canDo(list, steps, step + 1, i + 1)
    )
      return true;
  }
  return false;
}

/** People per step: those with a session (split by person) doing steps 1…k in order. */
export function expectedFunnel(events: StoredEvent[], q: StatsQuery, funnel: FunnelDefinition): number[] {
  const from = q.from.getTime();
  const to = q.to.getTime();
  const journeys = new Map<string, StoredEvent[]>();
  events.forEach((e) => {
    if (!inRange(e, q.site, from, to)) return;
    const key = JSON.stringify([e.sessionId, person(e)]);
    journeys.set(key, [...(journeys.get(key) ?? []), e]);
  });
  return funnel.steps.map((_, k) => {
    const people = new Set<string>();
    for (const list of journeys.values()) {
      // Stable sort: events of the same millisecond stay in insertion (id) order.
      const ordered = [...list].sort((a, b) => a.ts - b.ts);
      if (canDo(ordered, funnel.steps.slice(0, k + 1), 0, 0)) people.add(person(ordered[0] as StoredEvent));
    }
    return people.size;
  });
}
