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

/** Writes one event's row values at `values[at…]`, in `EVENT_COLUMNS` order; props serialised as JSON text. */
function writeEventRow(e: StoredEvent, values: unknown[], at: number): void {
  values[at] = e.site;
  values[at + 1] = e.type;
  values[at + 2] = e.name;
  values[at + 3] = e.ts;
  values[at + 4] = e.clientTs;
  values[at + 5] = e.url;
  values[at + 6] = e.path;
  values[at + 7] = e.title;
  values[at + 8] = e.referrer;
  values[at + 9] = e.referrerSource;
  values[at + 10] = e.utmSource;
  values[at + 11] = e.utmMedium;
  values[at + 12] = e.utmCampaign;
  values[at + 13] = e.visitorId;
  values[at + 14] = e.sessionId;
  values[at + 15] = e.userId;
  values[at + 16] = e.browser;
  values[at + 17] = e.os;
  values[at + 18] = e.device;
  values[at + 19] = e.engagedMs;
  values[at + 20] = e.props === null ? null : JSON.stringify(e.props);
}

/** One event as the row values in `EVENT_COLUMNS` order; props serialised as JSON text. */
export function eventRow(e: StoredEvent): unknown[] {
  const row = new Array<unknown>(EVENT_COLUMNS.length);
  writeEventRow(e, row, 0);
  return row;
}

/** Events flattened into one array of row values (`EVENT_COLUMNS` order), cheap to post to another thread. */
export function eventValues(events: readonly StoredEvent[]): unknown[] {
  const width = EVENT_COLUMNS.length;
  const values = new Array<unknown>(events.length * width);
  for (let i = 0; i < events.length; i++) writeEventRow(events[i] as StoredEvent, values, i * width);
  return values;
}

/** The latest session a visitor was seen in; used to continue sessions across collectors. */
export interface RecentSession {
  visitorId: string;
  sessionId: string;
  ts: number;
}
