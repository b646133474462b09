import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { MemorySessionStore } from "../store/memory-sessions.js";
import { DashboardSessions, MAX_SESSION_AGE_MS } from "./sessions.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function setup(times = {}) {
  const store = new MemorySessionStore();
  let now = Date.parse("2026-12-06T12:00:00Z");
  const clock = {
    advance: (ms: number) => {
      now += ms;
    },
  };
  const sessions = new DashboardSessions(store, "token", times, () => now);
  return { store, clock, sessions, at: () => now };
}

describe("DashboardSessions", () => {
  it("stores only the hash of each random session id", async () => {
    const { store, sessions } = setup();
    const id = await sessions.start();
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await sessions.start()).not.toBe(id);
    const hash = createHash("sha256").update(id).digest("hex");
    expect(await store.getSession(id)).toBeUndefined();
    expect((await store.getSession(hash))?.idHash).toBe(hash);
  });

  it("ends a session after the idle time; each request (at most one write a minute) keeps it alive", async () => {
    const { store, clock, sessions } = setup({ idleSeconds: 3600 });
    const id = await sessions.start();
    const hash = createHash("sha256").update(id).digest("hex");
    for (let i = 0; i < 5; i++) {
      clock.advance(50 * MINUTE);
      expect(await sessions.open(id)).not.toBeNull();
    }
    const seen = (await store.getSession(hash))?.lastSeenAt;
    clock.advance(30_000);
    await sessions.open(id);
    expect((await store.getSession(hash))?.lastSeenAt).toBe(seen);
    clock.advance(HOUR);
    expect(await sessions.open(id)).toBeNull();
    expect(await store.getSession(hash)).toBeUndefined();
  });

  it("ends a session at its absolute age however active it is", async () => {
    const { clock, sessions } = setup({ maxAgeSeconds: 24 * 3600, idleSeconds: 3600 });
    const id = await sessions.start();
    // Every 48 minutes, never idle for an hour: 29 requests take it to 23.2 hours, the 30th to 24.
    for (let i = 1; i < 30; i++) {
      clock.advance(48 * MINUTE);
      expect(await sessions.open(id), `request ${i}`).not.toBeNull();
    }
    clock.advance(48 * MINUTE);
    expect(await sessions.open(id)).toBeNull();
  });

  it("ends every session when the token changes, and forgets them at the next sign-in", async () => {
    const { store, sessions, at } = setup();
    const ids = [await sessions.start(), await sessions.start()];
    const rotated = new DashboardSessions(store, "new token", {}, at);
    for (const id of ids) expect(await rotated.open(id)).toBeNull();
    await sessions.start();
    await rotated.start();
    expect(await store.pruneSessions("x", 0, 0)).toBe(1);
  });

  it("ends a session on sign-out only with the token its page was given", async () => {
    const { sessions } = setup();
    const id = await sessions.start();
    const open = await sessions.open(id);
    expect(await sessions.end(id, "forged")).toBe(false);
    expect(await sessions.open(id)).not.toBeNull();
    expect(await sessions.end(id, open?.logoutToken ?? "")).toBe(true);
    expect(await sessions.open(id)).toBeNull();
    expect(await sessions.end(id, open?.logoutToken ?? "")).toBe(false);
  });

  it("refuses lifetimes over 30 days and idle times longer than the lifetime", () => {
    const store = new MemorySessionStore();
    expect(() => new DashboardSessions(store, "t", { maxAgeSeconds: MAX_SESSION_AGE_MS / 1000 + 1 })).toThrow(
      /maxAgeSeconds must be from 1 to 2592000 seconds/,
    );
    expect(() => new DashboardSessions(store, "t", { maxAgeSeconds: 3600, idleSeconds: 7200 })).toThrow(
      /idleSeconds/,
    );
    expect(() => new DashboardSessions(store, "t", { idleSeconds: 0 })).toThrow(/idleSeconds/);
  });
});
