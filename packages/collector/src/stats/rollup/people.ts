import { num, str } from "../read-row.js";
import { EDGE_DIMENSION, edgesIn } from "./edge-events.js";
import { DAY_HALVES, DAY_HOURS, type HalfCover, splitCover } from "./rollup-plan.js";
import type { Dimension, EventDimension } from "./rollup-schema.js";
import type { RollupScope } from "./rollup-scope.js";
import type { Window } from "./windows.js";

/** Distinct people per value of a dimension in a window. */
export type PeopleOf = (windowId: number, dimension: Dimension) => Map<string, number>;

/** A person seen in a window's raw part with a dimension value. */
interface EdgePerson {
  windowId: number;
  dimension: string;
  value: string;
  person: string;
  window: Window;
}

/** Offsets of the hours after a range's whole days (at most a day, with a half hour at the end). */
const TAIL_OFFSETS = Array.from({ length: DAY_HOURS }, (_, k) => `(${k})`).join(", ");

const key = (...parts: Array<string | number>) => parts.join("\u0000");

/**
 * Distinct people per window, dimension and value: the covered rows whose previous half hour lies before the
 * covered run, plus the raw-part people the covered run does not already hold. Pages and events only for the rows
 * shown.
 */
export async function countPeople(s: RollupScope, topPaths: string[], topNames: string[]): Promise<PeopleOf> {
  const people = await coveredPeople(s, topPaths, topNames);
  const pairs = edgePeople(s, new Set(topPaths), new Set(topNames));
  const inCover = await probePeople(s, [...pairs.values()]);
  for (const [pairKey, p] of pairs) {
    if (inCover.has(pairKey)) continue;
    const k = key(p.windowId, p.dimension, p.value);
    people.set(k, (people.get(k) ?? 0) + 1);
  }
  const byWindow = new Map<string, Map<string, number>>();
  for (const [k, n] of people) {
    const [windowId, dimension, value] = k.split("\u0000") as [string, string, string];
    const windowKey = key(windowId, dimension);
    let values = byWindow.get(windowKey);
    if (!values) {
      values = new Map();
      byWindow.set(windowKey, values);
    }
    values.set(value, n);
  }
  return (windowId, dimension) => byWindow.get(key(s.plan.resolve(windowId), dimension)) ?? new Map();
}

const BOUND_COLUMNS = [
  "start_half",
  "start_day",
  "start_day_half",
  "start_hour",
  "lead_end",
  "days_start",
  "days_end",
  "tail_start",
  "tail_end",
  "end_hour",
  "head",
] as const;

/** A covered window's bounds for counting its people: epoch hours, and epoch half hours for previous visits. */
function peopleBounds(cover: HalfCover): Record<(typeof BOUND_COLUMNS)[number], number> {
  const c = splitCover(cover);
  const head = Number(cover.headHalf);
  const tail = Number(cover.tailHalf);
  const startHalf = 2 * c.startHour - head;
  const startDay = Math.floor(startHalf / DAY_HALVES) * DAY_HOURS;
  const hasDays = c.daysEnd > c.daysStart;
  // The first half of the hour after the whole hours goes with the hours before or after the whole days.
  return {
    start_half: startHalf,
    start_day: startDay,
    start_day_half: 2 * startDay,
    start_hour: c.startHour,
    lead_end: hasDays ? c.leadEnd : c.endHour + tail,
    days_start: c.daysStart,
    days_end: c.daysEnd,
    tail_start: c.tailStart,
    tail_end: hasDays ? c.endHour + tail : c.tailStart,
    end_hour: c.endHour,
    head,
  };
}

const sameValue = (t: string) =>
  `${t}.site_id = ? AND ${t}.dimension = w.dimension AND ${t}.value = dv.value`;
// In the hour after the whole hours only those who came in its first half (`halves` 1 or 3).
const firstHalfAtEnd = (t: string) => `(${t}.hour < w.end_hour OR ${t}.halves <> 2)`;
// Hours around the whole days: their people counted per hour and previous half hour. For the hours before them
// the previous half hour is exact back to the range's start, for those after them only its day, so the people of
// the after hours whose previous visit lies in the range's first UTC day, before the range, come from their rows.
// The half hour before the whole hours: everyone who came in it.
const hourFirsts = (from: string, to: string, before: string) =>
  `(SELECT COALESCE(SUM(c.people), 0) FROM stats_people_hour_counts c WHERE ${sameValue("c")}
       AND c.hour >= w.${from} AND c.hour < w.${to} AND c.previous_half < w.${before} AND ${firstHalfAtEnd("c")})`;
const HEAD_HALF_SQL = `CASE WHEN w.head = 1 THEN
    (SELECT COALESCE(SUM(c.people), 0) FROM stats_people_hour_counts c WHERE ${sameValue("c")}
        AND c.hour = w.start_hour - 1 AND c.halves >= 2) ELSE 0 END`;
// One search per hour (a scalar per offset): joined, PostgreSQL scanned each value's rows for the previous half
// hours and matched the hours after.
const TAIL_RETURNING_SQL = `CASE WHEN w.tail_start < w.tail_end AND w.start_day_half < w.start_half THEN
    (SELECT COALESCE(SUM((SELECT COUNT(*) FROM stats_people p WHERE ${sameValue("p")} AND p.hour = w.tail_start + o.k
        AND p.previous_half >= w.start_day_half AND p.previous_half < w.start_half AND ${firstHalfAtEnd("p")})), 0)
      FROM tail_offsets o WHERE w.tail_start + o.k < w.tail_end) ELSE 0 END`;
// Whole days: their people counted per day of their previous visit, and those whose previous visit lies in the
// range's first UTC day (before the range) per half hour of it.
const DAY_FIRSTS_SQL = `(SELECT COALESCE(SUM(d.people), 0) FROM stats_people_day d WHERE ${sameValue("d")}
       AND d.day >= w.days_start AND d.day < w.days_end AND d.previous_day < w.start_day)
  + (SELECT COALESCE(SUM(r.people), 0) FROM stats_people_day_returning r WHERE ${sameValue("r")}
       AND r.previous_half >= w.start_day_half AND r.previous_half < w.start_half
       AND r.day >= w.days_start AND r.day < w.days_end)`;
/** The people of a window (`w`), dimension and value (`dv`); its only parameters are site ids. */
const COVERED_PEOPLE_SQL = `${HEAD_HALF_SQL} + ${hourFirsts("start_hour", "lead_end", "start_half")} + ${DAY_FIRSTS_SQL}
  + ${hourFirsts("tail_start", "tail_end", "start_day_half")} + ${TAIL_RETURNING_SQL}`;
const COVERED_PEOPLE_SITE_IDS = COVERED_PEOPLE_SQL.split("?").length - 1;

/**
 * Per window, dimension and value: first rows of the covered run before its whole days, in them, after them, and
 * in the half hours at either end.
 */
async function coveredPeople(
  s: RollupScope,
  topPaths: string[],
  topNames: string[],
): Promise<Map<string, number>> {
  const covered = s.plan.windows.flatMap((w) => {
    if (!w.cover) return [];
    const bounds = peopleBounds(w.cover);
    return w.dimensions.map((dimension) => [w.id, dimension, ...BOUND_COLUMNS.map((c) => bounds[c])]);
  });
  const people = new Map<string, number>();
  if (covered.length === 0) return people;
  const cte = s.db.rowsCte(
    "w",
    [["i", "int"], ["dimension", "text"], ...BOUND_COLUMNS.map((c): [string, "int"] => [c, "int"])],
    covered,
  );
  const marks = (list: string[]) => (list.length === 0 ? "?" : list.map(() => "?").join(", "));
  const orNone = (list: string[]) => (list.length === 0 ? [null] : list);
  const rows = await s.db.all(
    `WITH ${cte.sql}, tail_offsets (k) AS (VALUES ${TAIL_OFFSETS})
     SELECT w.i AS i, w.dimension AS dimension, sv.text AS v, ${COVERED_PEOPLE_SQL} AS n
       FROM w CROSS JOIN stats_dimension_values dv CROSS JOIN stats_values sv
      WHERE dv.site_id = ? AND dv.dimension = w.dimension AND sv.id = dv.value
        AND (w.dimension <> 'page' OR sv.text IN (${marks(topPaths)}))
        AND (w.dimension <> 'event' OR sv.text IN (${marks(topNames)}))`,
    [
      ...cte.params,
      ...Array.from({ length: COVERED_PEOPLE_SITE_IDS + 1 }, () => s.siteId),
      ...orNone(topPaths),
      ...orNone(topNames),
    ],
  );
  for (const r of rows) {
    const n = num(r.n);
    if (n > 0) people.set(key(num(r.i), str(r.dimension), str(r.v)), n);
  }
  return people;
}

/** Every (window, dimension, value, person) of the windows' raw parts, keyed. */
function edgePeople(s: RollupScope, pathSet: Set<string>, nameSet: Set<string>): Map<string, EdgePerson> {
  const pairs = new Map<string, EdgePerson>();
  for (const w of s.plan.windows) {
    for (const e of edgesIn(s.edges, w.raw)) {
      for (const dimension of w.dimensions) {
        if (dimension === "referrer") continue;
        const value = EDGE_DIMENSION[dimension as EventDimension](e);
        if (value === undefined) continue;
        if ((dimension === "page" && !pathSet.has(value)) || (dimension === "event" && !nameSet.has(value)))
          continue;
        pairs.set(key(w.id, dimension, value, e.person), {
          windowId: w.id,
          dimension,
          value,
          person: e.person,
          window: w,
        });
      }
    }
  }
  return pairs;
}

/** Which raw-part people the window's covered run (its half hours included) already holds (one probe each). */
async function probePeople(s: RollupScope, pairs: EdgePerson[]): Promise<Set<string>> {
  const found = new Set<string>();
  if (pairs.length === 0) return found;
  const cte = s.db.rowsCte(
    "q",
    [
      ["i", "int"],
      ["dimension", "text"],
      ["v", "text"],
      ["person", "text"],
      ["start_hour", "int"],
      ["end_hour", "int"],
      ["head", "int"],
      ["tail", "int"],
    ],
    pairs.flatMap((p) => {
      const c = p.window.cover;
      if (!c) return [];
      return [[p.windowId, p.dimension, p.value, p.person, c.startHour, c.endHour, +c.headHalf, +c.tailHalf]];
    }),
  );
  const rows = await s.db.all(
    `WITH ${cte.sql}
     SELECT q.i AS i, q.dimension AS dimension, q.v AS v, q.person AS person FROM q
      WHERE EXISTS (SELECT 1 FROM stats_people p WHERE p.site_id = ? AND p.dimension = q.dimension
                       AND p.value = (SELECT sv.id FROM stats_values sv WHERE sv.text = q.v)
                       AND p.person_id = (SELECT sp.id FROM stats_persons sp WHERE sp.key = q.person)
                       AND p.hour >= q.start_hour - q.head AND p.hour < q.end_hour + q.tail
                       AND (p.hour >= q.start_hour OR p.halves >= 2) AND (p.hour < q.end_hour OR p.halves <> 2))`,
    [...cte.params, s.siteId],
  );
  for (const r of rows) found.add(key(num(r.i), str(r.dimension), str(r.v), str(r.person)));
  return found;
}
