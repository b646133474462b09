import type { SitePageviews, StatsQuery, StatsResult } from "../src/stats/types.js";
import { MemorySessionStore } from "../src/store/memory-sessions.js";
import type { EventStore, StoredEvent } from "../src/store/types.js";

/**
 * An `EventStore` held in memory, for unit tests of code that writes events or metadata (the tracker's store
 * backend, the install id). It does not compute stats: `stats()` rejects — use `SqliteStore` with `:memory:`
 * for anything that reads aggregates. `failNextInserts(n)` makes the next n inserts reject, to test retries.
 */
export class MemoryStore extends MemorySessionStore implements EventStore {
  readonly events: StoredEvent[] = [];
  readonly meta = new Map<string, string>();
  insertCalls = 0;
  private failures = 0;
  private closed = false;

  failNextInserts(count: number): void {
    this.failures = count;
  }

  async migrate(): Promise<void> {}

  async insertEvents(events: StoredEvent[]): Promise<void> {
    this.assertOpen();
    this.insertCalls += 1;
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error("MemoryStore: insert failed on purpose");
    }
    // One batch is all or nothing, like a transaction.
    this.events.push(...events.map((event) => structuredClone(event)));
  }

  async getMeta(key: string): Promise<string | undefined> {
    this.assertOpen();
    return this.meta.get(key);
  }

  async setMeta(key: string, value: string): Promise<void> {
    this.assertOpen();
    this.meta.set(key, value);
  }

  async setMetaIfAbsent(key: string, value: string): Promise<string> {
    this.assertOpen();
    const existing = this.meta.get(key);
    if (existing !== undefined) return existing;
    this.meta.set(key, value);
    return value;
  }

  async deleteOlderThan(cutoff: Date): Promise<number> {
    return this.removeWhere((event) => event.ts < cutoff.getTime());
  }

  async eraseUser(userId: string): Promise<number> {
    return this.removeWhere((event) => event.userId === userId);
  }

  async countEvents(site?: string): Promise<number> {
    return site === undefined ? this.events.length : this.events.filter((e) => e.site === site).length;
  }

  async integrityCheck(): Promise<{ ok: boolean; details: string }> {
    return { ok: true, details: `memory store, ${this.events.length} events` };
  }

  async stats(_query: StatsQuery): Promise<StatsResult> {
    throw new Error("MemoryStore does not compute stats; use SqliteStore with ':memory:'");
  }

  async sites(): Promise<string[]> {
    return [...new Set(this.events.map((e) => e.site))].sort();
  }

  async topSites(limit: number): Promise<SitePageviews[]> {
    const counts = new Map<string, number>();
    for (const e of this.events)
      counts.set(e.site, (counts.get(e.site) ?? 0) + (e.type === "pageview" ? 1 : 0));
    return [...counts]
      .map(([site, pageviews]) => ({ site, pageviews }))
      .sort((a, b) => b.pageviews - a.pageviews || (a.site < b.site ? -1 : 1))
      .slice(0, limit);
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private removeWhere(predicate: (event: StoredEvent) => boolean): number {
    this.assertOpen();
    const before = this.events.length;
    const kept = this.events.filter((event) => !predicate(event));
    this.events.splice(0, this.events.length, ...kept);
    return before - kept.length;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error("MemoryStore: used after close()");
  }
}
