import type { RecentSession } from "../store/columns.js";
import type { StoredEvent } from "../store/types.js";
import { sessionId } from "./identity.js";

export const SESSION_TIMEOUT_MS = 30 * 60_000;

interface CachedSession {
  sessionId: string;
  /** The latest event of the session known here. */
  lastTs: number;
}

export interface SessionLookup {
  /**
   * The latest event of each visitor at or after `since` (SQLite keeps them in `visitor_sessions`, PostgreSQL
   * finds them through the `(visitor_id, ts)` index).
   */
  recentSessions?(visitorIds: string[], since: number): Promise<RecentSession[]>;
  /** Starts these sessions unless another collector started one for the visitor within the timeout (see `EventStore`). */
  claimSessions?(starts: RecentSession[], timeoutMs: number): Promise<RecentSession[]>;
}

/**
 * Assigns session ids to a batch just before it is written. A session ends after 30 minutes without an event.
 * A process-local cache answers for visitors seen recently by this collector; for the others the store is asked
 * once per batch for their latest event, so a visitor whose requests land on several collectors keeps one
 * session. A visitor with no recent event starts a session through the store's claim (PostgreSQL), so two
 * collectors that see its first events before either has written them still agree on one session.
 */
export class SessionResolver {
  private readonly cache = new Map<string, CachedSession>();

  constructor(
    private readonly store: SessionLookup,
    private readonly timeoutMs = SESSION_TIMEOUT_MS,
    private readonly maxEntries = 100_000,
  ) {}

  /** Fills `sessionId` of every event that has none (server-side events may bring their own). */
  async assign(events: StoredEvent[]): Promise<void> {
    const todo = events.filter((e) => e.sessionId === "").sort((a, b) => a.ts - b.ts);
    if (todo.length === 0) return;
    const unknown = new Set<string>();
    for (const e of todo) {
      const hit = this.cache.get(e.visitorId);
      if (!hit || e.ts - hit.lastTs > this.timeoutMs) unknown.add(e.visitorId);
    }
    if (unknown.size > 0 && this.store.recentSessions) {
      const minTs = todo[0]?.ts ?? 0;
      const found = await this.store.recentSessions([...unknown], minTs - this.timeoutMs);
      for (const r of found) {
        const hit = this.cache.get(r.visitorId);
        if (!hit || hit.lastTs < r.ts) this.remember(r.visitorId, r.sessionId, r.ts);
      }
    }
    if (unknown.size > 0 && this.store.claimSessions) await this.claimStarts(todo, unknown);
    for (const e of todo) {
      const hit = this.cache.get(e.visitorId);
      if (this.continues(hit, e.ts)) {
        e.sessionId = hit.sessionId;
        // Updated in place: the cache keeps its first-seen order (an evicted active visitor is found in the store).
        if (e.ts > hit.lastTs) hit.lastTs = e.ts;
      } else {
        e.sessionId = sessionId(e.visitorId, e.ts);
        this.remember(e.visitorId, e.sessionId, e.ts);
      }
    }
  }

  /** Whether an event at `ts` continues the cached session. */
  private continues(hit: CachedSession | undefined, ts: number): hit is CachedSession {
    return hit !== undefined && ts - hit.lastTs <= this.timeoutMs && ts >= hit.lastTs - this.timeoutMs;
  }

  /** Claims a session for each visitor whose first event here starts one; remembers the session it is in. */
  private async claimStarts(todo: StoredEvent[], unknown: Set<string>): Promise<void> {
    const starts = new Map<string, RecentSession>();
    for (const e of todo) {
      if (!unknown.has(e.visitorId) || starts.has(e.visitorId)) continue;
      if (this.continues(this.cache.get(e.visitorId), e.ts)) continue;
      starts.set(e.visitorId, { visitorId: e.visitorId, sessionId: sessionId(e.visitorId, e.ts), ts: e.ts });
    }
    if (starts.size === 0 || !this.store.claimSessions) return;
    for (const r of await this.store.claimSessions([...starts.values()], this.timeoutMs))
      this.remember(r.visitorId, r.sessionId, r.ts);
  }

  private remember(visitor: string, session: string, lastTs: number): void {
    // Delete first so Map order is oldest-written first; evict from the front when full.
    this.cache.delete(visitor);
    this.cache.set(visitor, { sessionId: session, lastTs });
    if (this.cache.size > this.maxEntries) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
  }
}
