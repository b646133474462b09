import type { WirePropValue } from "@tracklet/browser-sdk/wire";
import type {
  DestinationCounts,
  PageCoverage,
  StatsQuery,
  StatsResult,
  StatsSource,
} from "../stats/types.js";

/** Destination counts of one UTC hour (`hour`: its start, epoch ms), added to what the store holds. */
export interface DestinationHourCounts extends DestinationCounts {
  hour: number;
}

/** Page counts of one site, path and UTC hour (`hour`: its start, epoch ms), added to what the store holds. */
export interface DocumentHourCounts extends PageCoverage {
  site: string;
  hour: number;
}

/** Kinds of stored events: the three the browser SDK sends, plus events emitted by the server-side tracker. */
export type StoredEventType = "pageview" | "event" | "engagement" | "server";

/** One row of the `events` table, after validation and enrichment. Never holds a raw IP address. */
export interface StoredEvent {
  site: string;
  type: StoredEventType;
  /** Event name; null for pageviews and engagement. */
  name: string | null;
  /** Receive time at the collector, epoch milliseconds. */
  ts: number;
  /** Client clock, epoch milliseconds, when sent. */
  clientTs: number | null;
  /** Full URL (masked by the SDK) and its path, for top-page queries. */
  url: string | null;
  path: string | null;
  title: string | null;
  referrer: string | null;
  /** Referrer host or a named source (`Google`, `Direct / None` is stored as null). */
  referrerSource: string | null;
  utmSource: string | null;
  utmMedium: string | null;
  utmCampaign: string | null;
  /** Salted daily hash of site + IP + user agent (hex). */
  visitorId: string;
  /** Session hash: visitor id + session start; a new session after 30 minutes of inactivity. */
  sessionId: string;
  /** Authenticated user id from `getUser(req)`, or the server-side tracker's context. */
  userId: string | null;
  browser: string | null;
  os: string | null;
  /** `desktop` | `mobile` | `tablet` | … */
  device: string | null;
  engagedMs: number | null;
  props: Record<string, WirePropValue> | null;
}

/** A signed-in dashboard browser. Its random id lives only in the browser's cookie; stores keep its hash. */
export interface DashboardSession {
  /** SHA-256 of the session id (hex). */
  idHash: string;
  /** Fingerprint of the access token the session was opened with: a session of another token is ended. */
  tokenKey: string;
  /** Epoch milliseconds. */
  createdAt: number;
  lastSeenAt: number;
}

/** Where dashboard sessions are kept, so they hold across restarts and across collectors sharing a store. */
export interface DashboardSessionStore {
  createSession(session: DashboardSession): Promise<void>;
  getSession(idHash: string): Promise<DashboardSession | undefined>;
  touchSession(idHash: string, lastSeenAt: number): Promise<void>;
  deleteSession(idHash: string): Promise<void>;
  /**
   * Ends the sessions of any other token, created before `createdBefore` or last seen before `seenBefore`;
   * returns how many.
   */
  pruneSessions(tokenKey: string, createdBefore: number, seenBefore: number): Promise<number>;
}

/**
 * Every store implements this; the collector, the server-side tracker's store backend, the stats route and the
 * dashboard only see this interface. SQLite (embedded default) and PostgreSQL (shared by many collectors).
 */
export interface EventStore extends StatsSource, DashboardSessionStore {
  /** Apply pending schema migrations (idempotent, safe when several collectors start at once). */
  migrate(): Promise<void>;
  /** Insert a batch in one transaction. */
  insertEvents(events: StoredEvent[]): Promise<void>;
  /** Small key/value table (anonymous install id, salts). */
  getMeta(key: string): Promise<string | undefined>;
  setMeta(key: string, value: string): Promise<void>;
  /** Set `key` to `value` only when absent; returns the value that is stored (first writer wins). */
  setMetaIfAbsent(key: string, value: string): Promise<string>;
  /** Delete events older than `cutoff`; returns the number deleted. */
  deleteOlderThan(cutoff: Date): Promise<number>;
  /** Erase everything stored for one user id; returns the number of rows deleted. */
  eraseUser(userId: string): Promise<number>;
  /** Count of stored events (for tests, crash checks and `tracklet-collector status`). */
  countEvents(site?: string): Promise<number>;
  /** Store-level consistency check (SQLite `PRAGMA integrity_check`, PostgreSQL catalog checks). */
  integrityCheck(): Promise<{ ok: boolean; details: string }>;
  close(): Promise<void>;
  /** Delete one meta key (the collector forgets old visitor-hash salts). Optional for other implementations. */
  deleteMeta?(key: string): Promise<void>;
  /** Adds counts per destination and hour (collectors sharing a store add theirs up). Optional. */
  addDestinationCounts?(rows: DestinationHourCounts[]): Promise<void>;
  /** Adds pages served and first pageviews reported per site, path and hour. Optional. */
  addDocumentCounts?(rows: DocumentHourCounts[]): Promise<void>;
  /** Builds the stats rollups up to the hours that closed a few minutes ago (otherwise done in the background). */
  refreshRollups?(): Promise<void>;
  /** Drops the stats rollups from the hour holding `from` on (default: all) and builds them again from events. */
  rebuildRollups?(from?: Date): Promise<void>;
  /** Every figure from a scan of raw events: the reference `stats` answers identically. */
  scanStats?(query: StatsQuery): Promise<StatsResult>;
  /**
   * The latest event of each visitor at or after `since` (epoch ms), so collectors sharing a store continue each
   * other's sessions. Optional: without it sessions are tracked per process.
   */
  recentSessions?(
    visitorIds: string[],
    since: number,
  ): Promise<Array<{ visitorId: string; sessionId: string; ts: number }>>;
}
