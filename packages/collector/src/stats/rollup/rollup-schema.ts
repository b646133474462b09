import { DIRECT, type RollupDialect } from "../stats-dialect.js";

/**
 * Names in the rollup tables (created by the stores' migrations), per site and UTC hour (epoch hours):
 *
 * - `stats_people (dimension, value, hour, person_id, halves, previous_half)`: one row per distinct person per
 *   dimension value per hour, with the halves of the hour the person came in (1 the first, 2 the second, 3 both)
 *   and the previous half hour (epoch half hours) the same person had that value (-1: none). The distinct people
 *   of any run of half hours `[start, end)` are the rows in it (in its first hour those of the second half, in
 *   its last those of the first) whose previous half hour lies before `start`: a plain count, never a DISTINCT
 *   over raw events. The same per hour as counts, `stats_people_hour_counts (dimension, value, hour, previous_half,
 *   halves, people)`, with the previous half hour exact from the UTC day before the hour's on and only its day
 *   (its first half hour) before that. Per UTC day: `stats_people_day (dimension, value, day, previous_day,
 *   people)`, the day's people per day of their previous visit (its first hour, -1: none), and
 *   `stats_people_day_returning (dimension, value, previous_half, day, people)`, those with one per that half
 *   hour, for ranges starting inside a UTC day.
 * - `stats_sessions`: one row per session per hour (pageviews, first/last time, first and last pageview, the
 *   session's previous and next hour, -1 when none). Sessions within a single hour ("single-hour sessions") are
 *   also summed into counters; the few that span hours are merged at query time.
 * - `stats_counters (counter, key1, key2, key3, count1, count2, measure)`: summable counters per hour (see
 *   `COUNTERS`), and per UTC day under `dayCounter(counter)`.
 * - `stats_journeys (dimension, value, ts, event_id, session, person_id, props)`: every pageview (`page`, its
 *   path) and custom event (`event`, its name, with its props), for goals and funnels, which the config defines
 *   and may change at any time. Keyed by value then time, so a range read touches only the values asked for.
 */

/** Dimensions of `stats_people` built straight from events (value expressions: `dimensionSql`). */
export const EVENT_DIMENSIONS = ["all", "browser", "os", "device", "page", "event", "utm"] as const;
export type EventDimension = (typeof EVENT_DIMENSIONS)[number];
/** `referrer`: the referrer of each session's first pageview in the hour (built from session rows). */
export type Dimension = EventDimension | "referrer";

/**
 * The counters of `stats_counters`, per hour and key:
 * - `totals`: count1 pageviews, count2 custom events, measure the pageviews of the hour's first half (for
 *   buckets cut at half past; summed per day like the others, where it means nothing).
 * - `pages`: key1 path; count1 pageviews.
 * - `events`: key1 event name; count1 events.
 * - `props`: key1 event name, key2 property key, key3 property value; count1 events.
 * - `searchTerms`: key1 event name, key2 search term; count1 events.
 * - `users`: key1 user id; count1 events, count2 pageviews, measure the last event's time (a maximum).
 * - `singleSessions`: sessions within one hour: count1 sessions, count2 those with pageviews, measure their
 *   summed length in ms. `singleBounces`: count1 those with exactly one pageview. `singleEntries` /
 *   `singleExits`: key1 entry / exit path of those with pageviews; count1 sessions.
 */
export const COUNTERS = [
  "totals",
  "pages",
  "events",
  "props",
  "searchTerms",
  "users",
  "singleSessions",
  "singleBounces",
  "singleEntries",
  "singleExits",
] as const;
export type Counter = (typeof COUNTERS)[number];
/** The per-day counter of an hourly one: the same sums over a whole UTC day (`hour` is its first hour). */
export const dayCounter = (counter: Counter) => `${counter}PerDay`;
/** Counters whose `measure` is a maximum (last time), not a sum. */
export const MAX_MEASURE: readonly Counter[] = ["users"];

/**
 * Stands for SQL NULL in rollup text columns (a path or event name may be missing, and the raw queries keep
 * NULL apart from ''). A noncharacter, never produced by URL parsing.
 */
export const NULL_TEXT = "\uffff";
export const orNullText = (column: string) => `COALESCE(${column}, '${NULL_TEXT}')`;
/** The referrer label of an entry pageview. */
export const referrerSql = (column: string) => `COALESCE(${column}, '${DIRECT}')`;

/** The value expression and filter of each event dimension, over an events row. */
export function dimensionSql(d: RollupDialect): Record<EventDimension, [string, string]> {
  return {
    all: ["''", "1 = 1"],
    browser: ["COALESCE(browser, 'Unknown')", "type <> 'server'"],
    os: ["COALESCE(os, 'Unknown')", "type <> 'server'"],
    device: ["COALESCE(device, 'Unknown')", "type <> 'server'"],
    page: [orNullText("path"), "type = 'pageview'"],
    event: [orNullText("name"), "type IN ('event', 'server')"],
    utm: [d.jsonArray(["utm_source", "utm_medium", "utm_campaign"]), "utm_source IS NOT NULL"],
  };
}
