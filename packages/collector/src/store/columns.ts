import type { StoredEvent } from "./types.js";

/** Column order of the `events` table, shared by both stores' INSERT statements. */
export const EVENT_COLUMNS = [
  "site",
  "type",
  "name",
  "ts",
  "client_ts",
  "url",
  "path",
  "title",
  "referrer",
  "referrer_source",
  "utm_source",
  "utm_medium",
  "utm_campaign",
  "visitor_id",
  "session_id",
  "user_id",
  "browser",
  "os",
  "device",
  "engaged_ms",
  "props",
] as const;

/** One event as the row values in `EVENT_COLUMNS` order; props serialised as JSON text. */
export function eventRow(e: StoredEvent): unknown[] {
  return [
    e.site,
    e.type,
    e.name,
    e.ts,
    e.clientTs,
    e.url,
    e.path,
    e.title,
    e.referrer,
    e.referrerSource,
    e.utmSource,
    e.utmMedium,
    e.utmCampaign,
    e.visitorId,
    e.sessionId,
    e.userId,
    e.browser,
    e.os,
    e.device,
    e.engagedMs,
    e.props === null ? null : JSON.stringify(e.props),
  ];
}

/** Events flattened into one array of row values (`EVENT_COLUMNS` order), cheap to post to another thread. */
export function eventValues(events: readonly StoredEvent[]): unknown[] {
  const width = EVENT_COLUMNS.length;
  const values = new Array<unknown>(events.length * width);
  let at = 0;
  for (const e of events) {
    const row = eventRow(e);
    for (let i = 0; i < width; i++) values[at++] = row[i];
  }
  return values;
}

/** The latest session a visitor was seen in; used to continue sessions across collectors. */
export interface RecentSession {
  visitorId: string;
  sessionId: string;
  ts: number;
}

/**
 * The distinct sites, one index probe each on `(site, ts)` (a loose index scan) instead of reading every row.
 * Shared SQL for both stores.
 */
export const DISTINCT_SITES_SQL = `WITH RECURSIVE s(site) AS (
    SELECT MIN(site) FROM events
    UNION ALL
    SELECT (SELECT MIN(e.site) FROM events e WHERE e.site > s.site) FROM s WHERE s.site IS NOT NULL
  ) SELECT site FROM s WHERE site IS NOT NULL`;

/** Rows deleted per statement by retention and erasure, so a big delete never holds a long lock. */
export const DELETE_CHUNK = 5000;
