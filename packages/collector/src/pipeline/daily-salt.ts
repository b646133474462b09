import { randomBytes } from "node:crypto";
import type { EventStore } from "../store/types.js";

export type SaltStore = Pick<EventStore, "setMetaIfAbsent"> & { deleteMeta?(key: string): Promise<void> };

const DAY_MS = 86_400_000;
/** How many past days' salt keys are deleted at rotation (covers a collector fleet offline for a week). */
const FORGET_DAYS = 7;

export function utcDay(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

/**
 * The salt of visitor hashes: random, one per UTC day, shared by every collector on the store through the meta
 * table (`salt:YYYY-MM-DD`, first writer wins). Earlier days' salts are deleted at rotation, so yesterday's
 * visitor ids can no longer be recomputed from an IP and user agent.
 */
export class DailySalt {
  /** The day's salt and the day's bounds in epoch ms (`from` inclusive, `until` exclusive). */
  private cached: { day: string; salt: string; from: number; until: number } | undefined;
  private pending: Promise<string> | undefined;

  constructor(
    private readonly store: SaltStore,
    private readonly now: () => number = Date.now,
  ) {}

  /** Today's salt when it is already known, without a promise (the request path's common case). */
  cachedNow(): string | undefined {
    const now = this.now();
    const c = this.cached;
    return c !== undefined && now >= c.from && now < c.until ? c.salt : undefined;
  }

  /** Today's salt (cached; one meta round trip per day per process). */
  current(): Promise<string> {
    const known = this.cachedNow();
    if (known !== undefined) return Promise.resolve(known);
    const day = utcDay(this.now());
    if (!this.pending) {
      this.pending = this.rotate(day).finally(() => {
        this.pending = undefined;
      });
    }
    return this.pending;
  }

  private async rotate(day: string): Promise<string> {
    const salt = await this.store.setMetaIfAbsent(`salt:${day}`, randomBytes(32).toString("hex"));
    const from = Date.parse(`${day}T00:00:00Z`);
    this.cached = { day, salt, from, until: from + DAY_MS };
    if (this.store.deleteMeta) {
      for (let i = 1; i <= FORGET_DAYS; i++) await this.store.deleteMeta(`salt:${utcDay(from - i * DAY_MS)}`);
    }
    return salt;
  }
}
