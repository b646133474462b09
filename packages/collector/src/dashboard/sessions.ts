import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { DashboardSessionStore } from "../store/types.js";

const DAY_MS = 86_400_000;
/** The longest a session may last, however it is configured. */
export const MAX_SESSION_AGE_MS = 30 * DAY_MS;
export const DEFAULT_SESSION_AGE_MS = 7 * DAY_MS;
export const DEFAULT_SESSION_IDLE_MS = DAY_MS;
/** A session's last-seen time is written at most this often (a read per request, a write per minute). */
const TOUCH_EVERY_MS = 60_000;

export interface SessionTimes {
  /** Absolute lifetime from sign-in, in seconds (at most 30 days). Default 7 days. */
  maxAgeSeconds?: number | undefined;
  /** Signed out after this long without a request, in seconds. Default 24 hours. */
  idleSeconds?: number | undefined;
}

/** A session the request's cookie opened, with the token its sign-out form must carry. */
export interface OpenSession {
  idHash: string;
  logoutToken: string;
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function seconds(name: string, value: number | undefined, fallbackMs: number, maxMs: number): number {
  if (value === undefined) return fallbackMs;
  if (!Number.isFinite(value) || value <= 0 || value * 1000 > maxMs) {
    throw new RangeError(`dashboard session ${name} must be from 1 to ${maxMs / 1000} seconds, got ${value}`);
  }
  return value * 1000;
}

/**
 * Dashboard sign-ins with the access token: each sign-in gets a random 256-bit id (the cookie's value); the store
 * keeps only its hash, the token's fingerprint, and when it was created and last used. A session ends at its
 * absolute age, after the idle time, on sign-out, or when the token changes.
 */
export class DashboardSessions {
  readonly maxAgeMs: number;
  readonly idleMs: number;
  private readonly tokenKey: string;

  constructor(
    private readonly store: DashboardSessionStore,
    token: string,
    times: SessionTimes = {},
    private readonly now: () => number = Date.now,
  ) {
    this.maxAgeMs = seconds("maxAgeSeconds", times.maxAgeSeconds, DEFAULT_SESSION_AGE_MS, MAX_SESSION_AGE_MS);
    this.idleMs = seconds("idleSeconds", times.idleSeconds, DEFAULT_SESSION_IDLE_MS, this.maxAgeMs);
    this.tokenKey = createHmac("sha256", token).update("tracklet-dashboard-session").digest("hex");
  }

  /** Opens a session; returns the id for the cookie. Ended and expired sessions are removed on the way. */
  async start(): Promise<string> {
    const at = this.now();
    await this.store.pruneSessions(this.tokenKey, at - this.maxAgeMs, at - this.idleMs);
    const id = randomBytes(32).toString("base64url");
    await this.store.createSession({
      idHash: sha256(id),
      tokenKey: this.tokenKey,
      createdAt: at,
      lastSeenAt: at,
    });
    return id;
  }

  /** The live session behind a cookie value, or null (unknown, expired, idle, or of another token). */
  async open(id: string | undefined): Promise<OpenSession | null> {
    if (!id || id.length > 128) return null;
    const idHash = sha256(id);
    const session = await this.store.getSession(idHash);
    if (!session) return null;
    const at = this.now();
    if (
      !sameText(session.tokenKey, this.tokenKey) ||
      at - session.createdAt >= this.maxAgeMs ||
      at - session.lastSeenAt >= this.idleMs
    ) {
      await this.store.deleteSession(idHash);
      return null;
    }
    if (at - session.lastSeenAt >= TOUCH_EVERY_MS) await this.store.touchSession(idHash, at);
    return { idHash, logoutToken: this.logoutToken(id) };
  }

  /** Ends the session behind a cookie value when `logoutToken` is the one its page was given. */
  async end(id: string | undefined, logoutToken: string): Promise<boolean> {
    const session = await this.open(id);
    if (!session || !id || !sameText(logoutToken, this.logoutToken(id))) return false;
    await this.store.deleteSession(session.idHash);
    return true;
  }

  /** The sign-out form's CSRF token: bound to the session id, which only the cookie holds. */
  private logoutToken(id: string): string {
    return createHmac("sha256", id).update("tracklet-dashboard-logout").digest("base64url");
  }
}
