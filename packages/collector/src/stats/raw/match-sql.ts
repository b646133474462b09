import { type CteSql, CUSTOM_SQL, type StatsDialect } from "../stats-dialect.js";
import type { ConversionMatch } from "../types.js";

/** Condition on `events` for a goal or funnel step. */
export function matchSql(db: StatsDialect, match: ConversionMatch): CteSql {
  if (match.kind === "page") {
    const path = db.pathMatch(match.path);
    return { sql: `type = 'pageview' AND ${path.sql}`, params: path.params };
  }
  const props = Object.entries(match.props);
  // Keys are plain words (checked when the config is read); values are parameters.
  const propSql = props.map(([key]) => ` AND ${db.propText(key)} = ?`).join("");
  return {
    sql: `${CUSTOM_SQL} AND name = ?${propSql}`,
    params: [match.name, ...props.map(([, value]) => value)],
  };
}
