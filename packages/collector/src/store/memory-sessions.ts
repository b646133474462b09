import { LRUCache } from "lru-cache";
import type { DashboardSession, DashboardSessionStore } from "./types.js";

/** Sessions held before the least recently used is dropped (that browser signs in again). */
const MAX_SESSIONS = 10_000;

/**
 * Dashboard sessions in this process only, for a dashboard whose stats source is not a store: they end when the
 * process does, and collectors do not share them.
 */
export class MemorySessionStore implements DashboardSessionStore {
  private readonly sessions = new LRUCache<string, DashboardSession>({ max: MAX_SESSIONS });

  async createSession(session: DashboardSession): Promise<void> {
    this.sessions.set(session.idHash, { ...session });
  }

  async getSession(idHash: string): Promise<DashboardSession | undefined> {
    const session = this.sessions.get(idHash);
    return session && { ...session };
  }

  async touchSession(idHash: string, lastSeenAt: number): Promise<void> {
    const session = this.sessions.get(idHash);
    if (session) session.lastSeenAt = lastSeenAt;
  }

  async deleteSession(idHash: string): Promise<void> {
    this.sessions.delete(idHash);
  }

  async pruneSessions(tokenKey: string, createdBefore: number, seenBefore: number): Promise<number> {
    let ended = 0;
    for (const [idHash, s] of this.sessions.entries()) {
      if (s.tokenKey !== tokenKey || s.createdAt < createdBefore || s.lastSeenAt < seenBefore) {
        this.sessions.delete(idHash);
        ended++;
      }
    }
    return ended;
  }
}
