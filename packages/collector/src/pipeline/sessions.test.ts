import { describe, expect, it } from "vitest";
import { storedEvent } from "../../test/store-suite.js";
import { SqliteStore } from "../store/sqlite/sqlite-store.js";
import { sessionId } from "./identity.js";
import { SESSION_TIMEOUT_MS, SessionResolver } from "./sessions.js";

const MIN = 60_000;
const ev = (visitorId: string, ts: number) => storedEvent({ visitorId, sessionId: "", ts });

describe("SessionResolver", () => {
  it("keeps one session while events are less than 30 minutes apart, then starts another", async () => {
    const resolver = new SessionResolver({});
    const events = [
      ev("v", 0),
      ev("v", 10 * MIN),
      ev("v", 39 * MIN),
      ev("v", 39 * MIN + SESSION_TIMEOUT_MS + 1),
    ];
    await resolver.assign(events);
    expect(events.map((e) => e.sessionId)).toEqual([
      sessionId("v", 0),
      sessionId("v", 0),
      sessionId("v", 0),
      sessionId("v", 39 * MIN + SESSION_TIMEOUT_MS + 1),
    ]);
  });

  it("separates visitors and keeps sessions given by the caller", async () => {
    const resolver = new SessionResolver({});
    const given = storedEvent({ visitorId: "a", sessionId: "mine", ts: 0 });
    const events = [ev("a", 0), ev("b", 0), given];
    await resolver.assign(events);
    expect(events[0]?.sessionId).toBe(sessionId("a", 0));
    expect(events[1]?.sessionId).toBe(sessionId("b", 0));
    expect(given.sessionId).toBe("mine");
  });

  it("continues a session another collector started, found in the shared store", async () => {
    const store = new SqliteStore({ path: ":memory:" });
    const first = new SessionResolver(store);
    const a = [ev("v", 0)];
    await first.assign(a);
    await store.insertEvents(a);

    const second = new SessionResolver(store);
    const b = [ev("v", 20 * MIN)];
    await second.assign(b);
    expect(b[0]?.sessionId).toBe(a[0]?.sessionId);

    const third = new SessionResolver(store);
    const c = [ev("v", 20 * MIN + SESSION_TIMEOUT_MS + 1)];
    await third.assign(c);
    expect(c[0]?.sessionId).not.toBe(a[0]?.sessionId);
    await store.close();
  });

  it("continues an active visitor's session from the store once a full cache has dropped it", async () => {
    const store = new SqliteStore({ path: ":memory:" });
    const resolver = new SessionResolver(store, SESSION_TIMEOUT_MS, 2);
    const write = async (events: ReturnType<typeof ev>[]) => {
      await resolver.assign(events);
      await store.insertEvents(events);
      return events.map((e) => e.sessionId);
    };
    const [session] = await write([ev("a", 0), ev("a", MIN)]);
    // Two newer visitors push "a" out of a two-entry cache while its session is still open.
    await write([ev("b", 2 * MIN), ev("c", 3 * MIN)]);
    expect(await write([ev("a", 10 * MIN)])).toEqual([session]);
    await store.close();
  });

  it("keeps its cache bounded", async () => {
    const resolver = new SessionResolver({}, SESSION_TIMEOUT_MS, 10);
    await resolver.assign(Array.from({ length: 50 }, (_, i) => ev(`v${i}`, i)));
    expect((resolver as unknown as { cache: Map<string, unknown> }).cache.size).toBe(10);
  });
});
