import { DISTINCT_SITES_SQL } from "../store/columns.js";
import { DAY_HOURS, HOUR_MS } from "./rollup-plan.js";
import type { StatsDialect } from "./sql-stats.js";

/**
 * Building and trimming the stats rollups, with SQL shared by both stores. Every function here runs inside one
 * rollup transaction (the store holds the write lock, and on PostgreSQL an advisory lock, so collectors sharing
 * a database never build the same hours at once). Layout, per site and UTC hour (epoch hours):
 *
 * - `stats_people (dim, value, hour, pid, prev)`: one row per distinct person per dimension value per hour, with
 *   `prev` the previous hour the same person had that value (-1: none). The distinct people of any run of hours
 *   `[cs, ce)` are then the rows in it with `prev < cs`: a plain count, never a DISTINCT over raw events.
 *   Dimensions: `a` all events, `b`/`o`/`d` browser/OS/device (browser-sent events), `p` pageview paths, `n`
 *   custom event names, `u` UTM triples, `r` the referrer and person of each session's first pageview per hour.
 * - `stats_sessions`: one row per session per hour (pageviews, first/last time, first and last pageview, the
 *   session's previous and next hour, -1 when none). Sessions within a single hour ("singles") are also summed
 *   into counters; the few that span hours are merged at query time.
 * - `stats_counts (kind, k1, k2, k3, n, m, x)`: summable counters per hour (see `CountKind`).
 *
 * Rows are only ever computed going forward: `rewindSite` drops everything from an hour on (erasure, late
 * inserts) and the builder rebuilds from there, so the `prev`/`next` links never need patching further ahead.
 */

/** Runs one statement (with `?` placeholders) in the current rollup transaction; rows for queries. */
export type RunSql = (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

/** SQL fragments that differ between the stores, on top of those of the raw stats queries. */
export interface RollupDialect extends StatsDialect {
  /** A CTE `name(columns…)` over literal rows, and its parameters. */
  rowsCte(name: string, columns: Array<[string, "int" | "text"]>, rows: unknown[][]): CteSql;
  /** JSON array text of the SQL expressions (the key of a UTM triple). */
  jsonArray(exprs: string[]): string;
  /** Whether `ORDER BY x` puts NULL first (SQLite) or last (PostgreSQL). */
  nullsFirst: boolean;
  /** Pins a table reference to an index where the planner would pick worse (SQLite `INDEXED BY`), or "". */
  indexedBy(index: string): string;
}

export interface CteSql {
  sql: string;
  params: unknown[];
}

/**
 * Counter kinds in `stats_counts`: `T` pageviews (n) and custom events (m) per hour; `P` pageviews per path; `E`
 * custom events per name; `Q` property key/value pairs per event name; `S` search terms per event name; `U`
 * events (n), pageviews (m) and last time (x) per user id; for single-hour sessions: `ST` sessions (n), sessions
 * with pageviews (m), summed length in ms (x); `SB` bounces; `SE`/`SX` entry/exit paths.
 */
export const COUNT_KINDS = ["T", "P", "E", "Q", "S", "U", "ST", "SB", "SE", "SX"] as const;
export type CountKind = (typeof COUNT_KINDS)[number];
/** The per-day counter kind of an hourly one: the same sums over a whole UTC day (`hour` is its first hour). */
export const dayKind = (kind: CountKind) => `D${kind}`;
/** Counters whose `x` is a maximum (last time), not a sum. */
const MAX_X: readonly CountKind[] = ["U"];

/** People dimensions of `stats_people` built straight from events (`r` comes from session rows). */
export const EVENT_DIMS = ["a", "b", "o", "d", "p", "n", "u"] as const;
export type PeopleDim = (typeof EVENT_DIMS)[number] | "r";

/** Target events per build transaction, so a backfill never holds the write lock for long. */
const CHUNK_EVENTS = 5_000;
const CHUNK_HOURS = 24;

export const PERSON_SQL = "COALESCE(user_id, visitor_id)";
/**
 * Stands for SQL NULL in rollup text columns (a path or event name may be missing, and the raw queries keep
 * NULL apart from ''). A noncharacter, never produced by URL parsing.
 */
export const NULL_TEXT = "\uffff";
const orNull = (column: string) => `COALESCE(${column}, '${NULL_TEXT}')`;
export const DIRECT = "Direct / None";

/** The value expression and filter of each event dimension, over an events row. */
export function dimensionSql(d: RollupDialect): Record<(typeof EVENT_DIMS)[number], [string, string]> {
  return {
    a: ["''", "1 = 1"],
    b: ["COALESCE(browser, 'Unknown')", "type <> 'server'"],
    o: ["COALESCE(os, 'Unknown')", "type <> 'server'"],
    d: ["COALESCE(device, 'Unknown')", "type <> 'server'"],
    p: [orNull("path"), "type = 'pageview'"],
    n: [orNull("name"), "type IN ('event', 'server')"],
    u: [d.jsonArray(["utm_source", "utm_medium", "utm_campaign"]), "utm_source IS NOT NULL"],
  };
}

/** The search term of a custom event, as the raw query computes it. */
export function termSql(d: StatsDialect): string {
  return `LOWER(TRIM(COALESCE(${d.propText("query")}, ${d.propText("q")}, ${d.propText("term")})))`;
}

export interface SiteRollup {
  site: string;
  id: number;
  builtTo: number;
  floor: number;
}

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

/** Registers sites that have events but no rollup state yet; returns every site's state. */
export async function registerSites(run: RunSql): Promise<SiteRollup[]> {
  const known = await siteStates(run);
  const names = new Set(known.map((s) => s.site));
  let nextId = known.reduce((m, s) => Math.max(m, s.id), 0) + 1;
  for (const row of await run(DISTINCT_SITES_SQL, [])) {
    const site = String(row.site);
    if (names.has(site)) continue;
    const first = await run("SELECT MIN(ts) AS ts FROM events WHERE site = ?", [site]);
    const start = Math.floor(num(first[0]?.ts) / HOUR_MS);
    await run("INSERT INTO stats_sites (site, id, built_to, floor) VALUES (?, ?, ?, 0)", [
      site,
      nextId,
      start,
    ]);
    known.push({ site, id: nextId, builtTo: start, floor: 0 });
    nextId++;
  }
  return known;
}

export async function siteStates(run: RunSql, site?: string): Promise<SiteRollup[]> {
  const rows = await run(
    `SELECT site, id, built_to, floor FROM stats_sites${site === undefined ? "" : " WHERE site = ?"}`,
    site === undefined ? [] : [site],
  );
  return rows.map((r) => ({
    site: String(r.site),
    id: num(r.id),
    builtTo: num(r.built_to),
    floor: num(r.floor),
  }));
}

/**
 * Folds in late inserts: a site's earliest stale hour rewinds its rollups to that hour. Markers at or after it
 * are cleared (their events are committed, so the rebuild reads them); earlier ones arriving meanwhile stay.
 */
export async function applyStaleMarks(run: RunSql, s: SiteRollup): Promise<void> {
  const rows = await run("SELECT MIN(hour) AS h FROM stats_stale WHERE site = ?", [s.site]);
  const h = rows[0]?.h;
  if (h === null || h === undefined) return;
  const hour = num(h);
  if (hour < s.builtTo) await rewindSite(run, s, Math.max(hour, s.floor));
  await run("DELETE FROM stats_stale WHERE site = ? AND hour >= ?", [s.site, hour]);
}

/**
 * The next chunk to build for a site: from the first event at or after `builtTo` (empty hours are skipped),
 * at most `CHUNK_HOURS` hours or about `CHUNK_EVENTS` events, never past `settled`. Undefined when done.
 */
export async function nextChunk(
  run: RunSql,
  s: SiteRollup,
  settled: number,
): Promise<[number, number] | undefined> {
  if (s.builtTo >= settled) return undefined;
  const first = await run("SELECT MIN(ts) AS ts FROM events WHERE site = ? AND ts >= ?", [
    s.site,
    s.builtTo * HOUR_MS,
  ]);
  const ts = first[0]?.ts;
  const a = ts === null || ts === undefined ? settled : Math.floor(num(ts) / HOUR_MS);
  if (a >= settled) return [settled, settled];
  const nth = await run(
    `SELECT ts FROM events WHERE site = ? AND ts >= ? ORDER BY ts LIMIT 1 OFFSET ${CHUNK_EVENTS}`,
    [s.site, a * HOUR_MS],
  );
  const limitHour = nth[0] ? Math.floor(num(nth[0].ts) / HOUR_MS) : settled;
  return [a, Math.min(settled, a + CHUNK_HOURS, Math.max(a + 1, limitHour))];
}

/** Builds hours `[a, b)` of a site (none of them built yet) and moves its `builtTo` to `b`. */
export async function buildChunk(
  run: RunSql,
  d: RollupDialect,
  s: SiteRollup,
  a: number,
  b: number,
): Promise<void> {
  const builtTo = s.builtTo;
  if (b > a) await buildHours(run, d, s, a, b, builtTo);
  // Days completed since the last chunk get their per-day rows: the day `builtTo` was inside of, and those
  // ending within the chunk. Days wholly inside skipped empty hours have no rows.
  const days = new Set<number>();
  const partial = Math.floor(builtTo / DAY_HOURS) * DAY_HOURS;
  if (partial < builtTo && partial + DAY_HOURS <= b) days.add(partial);
  if (b > a)
    for (let day = Math.floor(a / DAY_HOURS) * DAY_HOURS; day + DAY_HOURS <= b; day += DAY_HOURS)
      if (day + DAY_HOURS > a) days.add(day);
  for (const day of days) await buildDay(run, s, day);
  await run("UPDATE stats_sites SET built_to = ? WHERE id = ?", [b, s.id]);
  s.builtTo = b;
}

async function buildHours(
  run: RunSql,
  d: RollupDialect,
  s: SiteRollup,
  a: number,
  b: number,
  builtTo: number,
): Promise<void> {
  const range = [s.site, a * HOUR_MS, b * HOUR_MS];
  const dims = dimensionSql(d);

  // The chunk's events, once, with only what the rollups read (a temporary table of this connection).
  const chunkSelect = `SELECT id, ts, ts / ${HOUR_MS} AS hour, type, name, path, referrer_source, session_id,
            user_id, browser, os, device, utm_source, ${dims.u[0]} AS utm, ${PERSON_SQL} AS person,
            CASE WHEN type IN ('event', 'server') THEN ${termSql(d)} END AS term FROM events`;
  await run("DROP TABLE IF EXISTS stats_chunk", []);
  await run(`CREATE TEMPORARY TABLE stats_chunk AS ${chunkSelect} WHERE 1 = 0`, []);
  await run(`INSERT INTO stats_chunk ${chunkSelect} WHERE site = ? AND ts >= ? AND ts < ?`, range);
  dims.u[0] = "utm";
  const plain = "ev AS (SELECT * FROM stats_chunk)";
  const withPerson = `ev AS MATERIALIZED (SELECT c.*, (SELECT sp.id FROM stats_persons sp WHERE sp.key = c.person) AS pid
      FROM stats_chunk c)`;

  // Dictionaries: person keys and dimension values.
  await run(
    "INSERT INTO stats_persons (key) SELECT DISTINCT person FROM stats_chunk WHERE 1 = 1 ON CONFLICT (key) DO NOTHING",
    [],
  );
  const valueSources = [
    ...Object.values(dims).map(([value, filter]) => `SELECT ${value} AS v FROM ev WHERE ${filter}`),
    `SELECT COALESCE(referrer_source, '${DIRECT}') AS v FROM ev WHERE type = 'pageview'`,
  ];
  await run(
    `WITH ${plain} INSERT INTO stats_values (text)
      SELECT DISTINCT v FROM (${valueSources.join(" UNION ALL ")}) x WHERE v IS NOT NULL ON CONFLICT (text) DO NOTHING`,
    [],
  );

  // Distinct people per dimension value and hour, linked to their previous hour.
  const keyed = `${withPerson},
    raw AS (${Object.entries(dims)
      .map(
        ([dim, [value, filter]]) =>
          `SELECT '${dim}' AS dim, ${value} AS v, hour, pid FROM ev WHERE ${filter}`,
      )
      .join(" UNION ")}),
    keyed AS (SELECT r.dim, (SELECT sv.id FROM stats_values sv WHERE sv.text = r.v) AS value, r.hour, r.pid FROM raw r)`;
  await run("DROP TABLE IF EXISTS stats_chunk_people", []);
  await run(`CREATE TEMPORARY TABLE stats_chunk_people AS WITH ${keyed} SELECT * FROM keyed`, []);
  await run(
    `INSERT INTO stats_dim_values (site_id, dim, value)
      SELECT DISTINCT CAST(? AS BIGINT), dim, value FROM stats_chunk_people WHERE 1 = 1 ON CONFLICT DO NOTHING`,
    [s.id],
  );
  await run(
    `INSERT INTO stats_people (site_id, dim, value, hour, pid, prev)
      SELECT CAST(? AS BIGINT), k.dim, k.value, k.hour, k.pid,
             COALESCE(LAG(k.hour) OVER (PARTITION BY k.dim, k.value, k.pid ORDER BY k.hour),
                      (SELECT MAX(q.hour) FROM stats_people q WHERE q.site_id = ? AND q.dim = k.dim
                          AND q.value = k.value AND q.pid = k.pid AND q.hour < ?), -1)
        FROM stats_chunk_people k WHERE 1 = 1`,
    [s.id, s.id, a],
  );

  // One row per session and hour.
  await run(
    `WITH ${withPerson},
      marked AS (SELECT hour, session_id, type, ts, ${orNull("path")} AS path,
                        COALESCE(referrer_source, '${DIRECT}') AS ref, pid,
                        ROW_NUMBER() OVER (PARTITION BY hour, session_id, type = 'pageview' ORDER BY ts, id) AS fa,
                        ROW_NUMBER() OVER (PARTITION BY hour, session_id, type = 'pageview'
                                           ORDER BY ts DESC, id DESC) AS la
                   FROM ev),
      rs AS (SELECT hour, session_id, SUM(CASE WHEN type = 'pageview' THEN 1 ELSE 0 END) AS pv,
                    MIN(ts) AS first_ts, MAX(ts) AS last_ts,
                    MAX(CASE WHEN type = 'pageview' AND fa = 1 THEN path END) AS entry_path,
                    MAX(CASE WHEN type = 'pageview' AND fa = 1 THEN ref END) AS entry_ref,
                    MAX(CASE WHEN type = 'pageview' AND fa = 1 THEN pid END) AS entry_pid,
                    MAX(CASE WHEN type = 'pageview' AND la = 1 THEN path END) AS exit_path
               FROM marked GROUP BY hour, session_id)
     INSERT INTO stats_sessions (site_id, hour, session, pv, first_ts, last_ts, entry_path, entry_ref, entry_pid,
                                 exit_path, prev, next)
     SELECT CAST(? AS BIGINT), r.hour, r.session_id, r.pv, r.first_ts, r.last_ts, r.entry_path, r.entry_ref, r.entry_pid, r.exit_path,
            COALESCE(LAG(r.hour) OVER (PARTITION BY r.session_id ORDER BY r.hour),
                     (SELECT MAX(x.hour) FROM stats_sessions x WHERE x.site_id = ? AND x.session = r.session_id
                         AND x.hour < ?), -1),
            COALESCE(LEAD(r.hour) OVER (PARTITION BY r.session_id ORDER BY r.hour), -1)
       FROM rs r WHERE 1 = 1`,
    [s.id, s.id, a],
  );

  // Sessions continuing from an earlier hour: link them; a former single leaves the single-session counters.
  const continued = await run(
    `SELECT o.hour, o.session, o.pv, o.first_ts, o.last_ts, o.entry_path, o.exit_path, o.prev, o.next, n.hour AS nh
       FROM stats_sessions n
       JOIN stats_sessions o ON o.site_id = n.site_id AND o.session = n.session AND o.hour = n.prev
      WHERE n.site_id = ? AND n.hour >= ? AND n.hour < ? AND n.prev >= 0 AND n.prev < ?`,
    [s.id, a, b, a],
  );
  for (const o of continued) {
    await run("UPDATE stats_sessions SET next = ? WHERE site_id = ? AND hour = ? AND session = ?", [
      num(o.nh),
      s.id,
      num(o.hour),
      String(o.session),
    ]);
    if (num(o.prev) === -1 && num(o.next) === -1) await addSingle(run, s.id, o, -1, builtTo);
  }

  // Summable counters.
  const custom = "type IN ('event', 'server')";
  await run(
    `WITH ${plain}
     INSERT INTO stats_counts (site_id, kind, hour, k1, k2, k3, n, m, x)
     SELECT CAST(? AS BIGINT), 'T', hour, '', '', '', SUM(CASE WHEN type = 'pageview' THEN 1 ELSE 0 END),
            SUM(CASE WHEN ${custom} THEN 1 ELSE 0 END), 0 FROM ev GROUP BY hour
     UNION ALL
     SELECT CAST(? AS BIGINT), 'P', hour, ${orNull("path")}, '', '', COUNT(*), 0, 0 FROM ev WHERE type = 'pageview'
      GROUP BY hour, ${orNull("path")}
     UNION ALL
     SELECT CAST(? AS BIGINT), 'E', hour, ${orNull("name")}, '', '', COUNT(*), 0, 0 FROM ev WHERE ${custom}
      GROUP BY hour, ${orNull("name")}
     UNION ALL
     SELECT CAST(? AS BIGINT), 'U', hour, user_id, '', '', COUNT(*), SUM(CASE WHEN type = 'pageview' THEN 1 ELSE 0 END), MAX(ts)
       FROM ev WHERE user_id IS NOT NULL GROUP BY hour, user_id
     UNION ALL
     SELECT CAST(? AS BIGINT), 'S', hour, name, term, '', COUNT(*), 0, 0
       FROM (SELECT hour, ${orNull("name")} AS name, term FROM ev WHERE ${custom}) t
      WHERE term IS NOT NULL AND term <> '' GROUP BY hour, name, term`,
    [s.id, s.id, s.id, s.id, s.id],
  );
  await run(
    `INSERT INTO stats_counts (site_id, kind, hour, k1, k2, k3, n, m, x)
     SELECT CAST(? AS BIGINT), 'Q', e.ts / ${HOUR_MS}, ${orNull("e.name")}, p.key, ${d.propValueText}, COUNT(*), 0, 0
       FROM events e ${d.propsJoin}
      WHERE e.site = ? AND e.ts >= ? AND e.ts < ? AND e.type IN ('event', 'server') AND e.props IS NOT NULL
      GROUP BY e.ts / ${HOUR_MS}, ${orNull("e.name")}, p.key, ${d.propValueText}`,
    [s.id, ...range],
  );
  const singles = "site_id = ? AND hour >= ? AND hour < ? AND prev = -1 AND next = -1";
  await run(
    `INSERT INTO stats_counts (site_id, kind, hour, k1, k2, k3, n, m, x)
     SELECT site_id, 'ST', hour, '', '', '', COUNT(*), SUM(CASE WHEN pv >= 1 THEN 1 ELSE 0 END),
            SUM(last_ts - first_ts) FROM stats_sessions WHERE ${singles} GROUP BY site_id, hour
     UNION ALL
     SELECT site_id, 'SB', hour, '', '', '', COUNT(*), 0, 0 FROM stats_sessions WHERE ${singles} AND pv = 1
      GROUP BY site_id, hour
     UNION ALL
     SELECT site_id, 'SE', hour, entry_path, '', '', COUNT(*), 0, 0 FROM stats_sessions WHERE ${singles} AND pv >= 1
      GROUP BY site_id, hour, entry_path
     UNION ALL
     SELECT site_id, 'SX', hour, exit_path, '', '', COUNT(*), 0, 0 FROM stats_sessions WHERE ${singles} AND pv >= 1
      GROUP BY site_id, hour, exit_path
     ON CONFLICT (site_id, kind, hour, k1, k2, k3) DO UPDATE
       SET n = stats_counts.n + excluded.n, m = stats_counts.m + excluded.m, x = stats_counts.x + excluded.x`,
    [s.id, a, b, s.id, a, b, s.id, a, b, s.id, a, b],
  );

  // Referrer and person of each session's first pageview in each hour.
  const entries = `r AS (SELECT DISTINCT entry_ref, hour, entry_pid FROM stats_sessions
                          WHERE site_id = ? AND hour >= ? AND hour < ? AND pv > 0),
    k AS (SELECT (SELECT sv.id FROM stats_values sv WHERE sv.text = r.entry_ref) AS value, r.hour, r.entry_pid AS pid
            FROM r)`;
  await run(
    `WITH ${entries} INSERT INTO stats_dim_values (site_id, dim, value)
      SELECT DISTINCT CAST(? AS BIGINT), 'r', value FROM k WHERE 1 = 1 ON CONFLICT DO NOTHING`,
    [s.id, a, b, s.id],
  );
  await run(
    `WITH ${entries} INSERT INTO stats_people (site_id, dim, value, hour, pid, prev)
      SELECT CAST(? AS BIGINT), 'r', k.value, k.hour, k.pid,
             COALESCE(LAG(k.hour) OVER (PARTITION BY k.value, k.pid ORDER BY k.hour),
                      (SELECT MAX(q.hour) FROM stats_people q WHERE q.site_id = ? AND q.dim = 'r'
                          AND q.value = k.value AND q.pid = k.pid AND q.hour < ?), -1)
        FROM k WHERE 1 = 1`,
    [s.id, a, b, s.id, s.id, a],
  );
  await run("DROP TABLE stats_chunk", []);
  await run("DROP TABLE stats_chunk_people", []);
}

/** Per-day rows of one whole UTC day (first hour `day`) from its hourly rows. */
async function buildDay(run: RunSql, s: SiteRollup, day: number): Promise<void> {
  const end = day + DAY_HOURS;
  // A person's first row of the day holds the day's previous-hour link: the smallest `prev` of the day.
  await run(
    `INSERT INTO stats_people_day (site_id, dim, value, day, pid, prev)
     SELECT p.site_id, p.dim, p.value, CAST(? AS BIGINT), p.pid, MIN(p.prev)
       FROM stats_dim_values dv
       JOIN stats_people p ON p.site_id = dv.site_id AND p.dim = dv.dim AND p.value = dv.value
                          AND p.hour >= ? AND p.hour < ?
      WHERE dv.site_id = ? GROUP BY p.site_id, p.dim, p.value, p.pid`,
    [day, day, end, s.id],
  );
  for (const kind of COUNT_KINDS)
    await run(
      `INSERT INTO stats_counts (site_id, kind, hour, k1, k2, k3, n, m, x)
       SELECT site_id, '${dayKind(kind)}', CAST(? AS BIGINT), k1, k2, k3, SUM(n), SUM(m),
              ${MAX_X.includes(kind) ? "MAX(x)" : "SUM(x)"}
         FROM stats_counts WHERE site_id = ? AND kind = ? AND hour >= ? AND hour < ? GROUP BY site_id, k1, k2, k3`,
      [day, s.id, kind, day, end],
    );
}

/**
 * Adds (`sign` 1) or removes (-1) one single-hour session row's share of the session counters, and of its
 * day's counters when that day is built (it ends by `builtTo`).
 */
async function addSingle(
  run: RunSql,
  siteId: number,
  row: Record<string, unknown>,
  sign: 1 | -1,
  builtTo: number,
): Promise<void> {
  const hour = num(row.hour);
  const day = Math.floor(hour / DAY_HOURS) * DAY_HOURS;
  const at: Array<[string, number]> = [["", hour]];
  if (day + DAY_HOURS <= builtTo) at.push(["D", day]);
  const pv = num(row.pv);
  for (const [prefix, h] of at) {
    const upsert = (kind: CountKind, k1: string, n: number, m: number, x: number) =>
      run(
        `INSERT INTO stats_counts (site_id, kind, hour, k1, k2, k3, n, m, x) VALUES (?, ?, ?, ?, '', '', ?, ?, ?)
         ON CONFLICT (site_id, kind, hour, k1, k2, k3) DO UPDATE
           SET n = stats_counts.n + excluded.n, m = stats_counts.m + excluded.m, x = stats_counts.x + excluded.x`,
        [siteId, prefix + kind, h, k1, n, m, x],
      );
    await upsert("ST", "", sign, pv >= 1 ? sign : 0, sign * (num(row.last_ts) - num(row.first_ts)));
    if (pv === 1) await upsert("SB", "", sign, 0, 0);
    if (pv >= 1) {
      await upsert("SE", String(row.entry_path ?? ""), sign, 0, 0);
      await upsert("SX", String(row.exit_path ?? ""), sign, 0, 0);
    }
    // Emptied counters go, so the tables hold the same rows however the hours were built.
    if (sign < 0)
      await run(
        `DELETE FROM stats_counts WHERE site_id = ? AND hour = ? AND kind IN (?, ?, ?, ?)
            AND n = 0 AND m = 0 AND x = 0`,
        [siteId, h, `${prefix}ST`, `${prefix}SB`, `${prefix}SE`, `${prefix}SX`],
      );
  }
}

/**
 * Deletes a site's rollup rows from `hour` on (`">="`, with the days that end after it) or before it (`"<"`,
 * with the days that start before it).
 */
async function deleteHours(run: RunSql, siteId: number, cmp: ">=" | "<", hour: number): Promise<void> {
  const dayCut = cmp === ">=" ? `> ?` : `< ?`;
  const dayHour = cmp === ">=" ? hour - DAY_HOURS : hour;
  const values = await run("SELECT dim, value FROM stats_dim_values WHERE site_id = ?", [siteId]);
  for (const v of values) {
    await run(`DELETE FROM stats_people WHERE site_id = ? AND dim = ? AND value = ? AND hour ${cmp} ?`, [
      siteId,
      v.dim,
      v.value,
      hour,
    ]);
    await run(`DELETE FROM stats_people_day WHERE site_id = ? AND dim = ? AND value = ? AND day ${dayCut}`, [
      siteId,
      v.dim,
      v.value,
      dayHour,
    ]);
  }
  await run(`DELETE FROM stats_sessions WHERE site_id = ? AND hour ${cmp} ?`, [siteId, hour]);
  for (const kind of COUNT_KINDS) {
    await run(`DELETE FROM stats_counts WHERE site_id = ? AND kind = ? AND hour ${cmp} ?`, [
      siteId,
      kind,
      hour,
    ]);
    await run(`DELETE FROM stats_counts WHERE site_id = ? AND kind = ? AND hour ${dayCut}`, [
      siteId,
      dayKind(kind),
      dayHour,
    ]);
  }
}

/**
 * Forgets a site's rollups from `hour` on (they are rebuilt from raw events by the next pass): sessions that
 * continued into the dropped hours end where the kept hours end again.
 */
export async function rewindSite(run: RunSql, s: SiteRollup, hour: number): Promise<void> {
  if (hour >= s.builtTo) return;
  const cut = await run(
    `SELECT hour, session, pv, first_ts, last_ts, entry_path, exit_path, prev FROM stats_sessions
      WHERE site_id = ? AND next >= 0 AND next >= ? AND +hour < ?`,
    [s.id, hour, hour],
  );
  for (const row of cut) {
    await run("UPDATE stats_sessions SET next = -1 WHERE site_id = ? AND hour = ? AND session = ?", [
      s.id,
      num(row.hour),
      String(row.session),
    ]);
    if (num(row.prev) === -1) await addSingle(run, s.id, row, 1, hour);
  }
  await deleteHours(run, s.id, ">=", hour);
  await run("UPDATE stats_sites SET built_to = ? WHERE id = ?", [hour, s.id]);
  s.builtTo = hour;
}

/**
 * Drops a site's rollups before `hour` (retention deleted their events) and never answers from before it again;
 * the hour holding the retention cutoff is read raw from then on.
 */
export async function trimSite(run: RunSql, s: SiteRollup, hour: number): Promise<void> {
  if (hour <= s.floor) return;
  await deleteHours(run, s.id, "<", hour);
  s.floor = hour;
  s.builtTo = Math.max(s.builtTo, hour);
  await run("UPDATE stats_sites SET floor = ?, built_to = ? WHERE id = ?", [s.floor, s.builtTo, s.id]);
}

/** Deletes person keys no rollup row refers to any more (after retention), so no id outlives its events. */
export async function forgetUnusedPersons(run: RunSql): Promise<void> {
  await run(
    `DELETE FROM stats_persons WHERE id IN (
       SELECT sp.id FROM stats_persons sp
        WHERE NOT EXISTS (SELECT 1 FROM stats_sites s
                            JOIN stats_values sv ON sv.text = ''
                            JOIN stats_people p ON p.site_id = s.id AND p.dim = 'a' AND p.value = sv.id
                                               AND p.pid = sp.id))`,
    [],
  );
}
