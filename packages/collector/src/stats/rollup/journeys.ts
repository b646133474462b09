import { matchSql } from "../raw/match-sql.js";
import { type CteSql, PERSON_SQL, type RollupDialect } from "../stats-dialect.js";
import type { ConversionMatch } from "../types.js";
import { coverOf, HOUR_MS, type RollupReach, rawParts } from "./rollup-plan.js";

/** Where conversion rows come from: the site in `events`, its id and reach in the rollups. */
export interface JourneySource {
  db: RollupDialect;
  site: string;
  siteId: number;
  reach: RollupReach;
}

/** Condition on `stats_journeys` for a goal or funnel step: the paths or the name looked up in the dictionary. */
function journeyMatchSql(db: RollupDialect, siteId: number, match: ConversionMatch): CteSql {
  if (match.kind === "page") {
    const path = db.pathMatch(match.path);
    return {
      sql: `dimension = 'page' AND value IN (
              SELECT p.value FROM (SELECT dv.value, sv.text AS path FROM stats_dimension_values dv
                                     JOIN stats_values sv ON sv.id = dv.value
                                    WHERE dv.site_id = ? AND dv.dimension = 'page') p
               WHERE ${path.sql})`,
      params: [siteId, ...path.params],
    };
  }
  const props = Object.entries(match.props);
  // Keys are plain words (checked when the config is read); values are parameters.
  const propSql = props.map(([key]) => ` AND ${db.propText(key)} = ?`).join("");
  return {
    sql: `dimension = 'event' AND value IN (SELECT sv.id FROM stats_values sv WHERE sv.text = ?)${propSql}`,
    params: [match.name, ...props.map(([, value]) => value)],
  };
}

/**
 * The events of `[start, end)` matching `match` as rows `(label, ts, id, session, person_id, person_key)`: from
 * `stats_journeys` for the hours the rollups cover, from `events` for the rest. `person_id` is the person's id in
 * `stats_persons` (journey rows always have one); `person_key` the person itself where there is no id (people
 * new since the last rollup pass, in raw rows only).
 */
export function matchingEvents(
  s: JourneySource,
  label: number,
  match: ConversionMatch,
  start: number,
  end: number,
): CteSql {
  const cover = coverOf(start, end, s.reach);
  const branches: CteSql[] = [];
  if (cover) {
    const m = journeyMatchSql(s.db, s.siteId, match);
    branches.push({
      sql: `SELECT ${label} AS label, ts, event_id AS id, session, person_id, CAST(NULL AS TEXT) AS person_key
              FROM stats_journeys WHERE site_id = ? AND ${m.sql} AND ts >= ? AND ts < ?`,
      params: [s.siteId, ...m.params, cover.startHour * HOUR_MS, cover.endHour * HOUR_MS],
    });
  }
  const m = matchSql(s.db, match);
  const person = PERSON_SQL.replace(/\b(user_id|visitor_id)\b/g, "e.$1");
  for (const [partStart, partEnd] of rawParts(start, end, cover))
    branches.push({
      sql: `SELECT label, ts, id, session, person_id, CASE WHEN person_id IS NULL THEN person END AS person_key
              FROM (SELECT ${label} AS label, e.ts, e.id, e.session_id AS session, ${person} AS person,
                           (SELECT sp.id FROM stats_persons sp WHERE sp.key = ${person}) AS person_id
                      FROM events e WHERE e.site = ? AND e.ts >= ? AND e.ts < ? AND (${m.sql})) r`,
      params: [s.site, partStart, partEnd, ...m.params],
    });
  return {
    sql: branches.map((b) => b.sql).join(" UNION ALL "),
    params: branches.flatMap((b) => b.params),
  };
}

/** Distinct people of `matchingEvents` rows: by id, and apart those without one. */
export const PEOPLE_SQL = "COUNT(DISTINCT person_id) + COUNT(DISTINCT person_key)";

/** Several `matchingEvents` in one statement body (labels tell them apart). */
export function unionAll(parts: CteSql[]): CteSql {
  return { sql: parts.map((p) => p.sql).join(" UNION ALL "), params: parts.flatMap((p) => p.params) };
}
