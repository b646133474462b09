import { describe, expect, it, vi } from "vitest";
import { MemoryStore } from "../testing/memory-store.js";
import { createTracker } from "../tracker/tracker.js";
import { createStoreBackend, toStoredEvent } from "./store.js";

describe("createStoreBackend", () => {
  it("maps tracker events to server rows with site, user, path and flat props", async () => {
    const store = new MemoryStore();
    const tracker = createTracker({
      backends: [createStoreBackend({ store, site: "shop.example", flushInterval: 0 })],
      now: () => new Date("2024-05-01T12:00:00.000Z"),
    });
    tracker.context("request", { user: "u-1", session: "secret-session-token", path: "/cart" }, () => {
      tracker.emit("cart.checkout", { items: 3, coupon: null, meta: { a: 1 }, ok: true });
    });
    await tracker.close();
    expect(store.events).toHaveLength(1);
    const row = store.events[0];
    expect(row).toMatchObject({
      site: "shop.example",
      type: "server",
      name: "cart.checkout",
      ts: Date.parse("2024-05-01T12:00:00.000Z"),
      path: "/cart",
      userId: "u-1",
      props: { items: 3, coupon: null, meta: '{"a":1}', ok: true },
    });
    expect(row?.visitorId).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(row)).not.toContain("secret-session-token");
  });

  it("batches rows into insertEvents calls of at most flushAt", async () => {
    const store = new MemoryStore();
    const backend = createStoreBackend({ store, site: "s", flushAt: 4, flushInterval: 0 });
    for (let i = 0; i < 10; i++)
      backend.send({ name: `e${i}`, timestamp: new Date().toISOString(), data: {}, context: {} });
    await backend.flush();
    expect(store.insertCalls).toBe(3);
    expect(store.events.map((e) => e.name)).toEqual([...Array(10).keys()].map((i) => `e${i}`));
  });

  it("keeps rows after a failed insert, reports it and stores them on the next flush", async () => {
    const store = new MemoryStore();
    store.failNextInserts(1);
    const onError = vi.fn();
    const tracker = createTracker({
      onError,
      backends: [createStoreBackend({ store, site: "s", flushAt: 1 })],
    });
    tracker.emit("first");
    await tracker.flush();
    expect(onError).toHaveBeenCalled();
    tracker.emit("second");
    await tracker.close();
    expect(store.events.map((e) => e.name)).toEqual(["first", "second"]);
  });

  it("writes on its flush interval without an explicit flush", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const store = new MemoryStore();
      const backend = createStoreBackend({ store, site: "s", flushAt: 100, flushInterval: 1_000 });
      backend.send({ name: "later", timestamp: new Date().toISOString(), data: {}, context: {} });
      await vi.advanceTimersByTimeAsync(999);
      expect(store.events).toHaveLength(0);
      await vi.advanceTimersByTimeAsync(1);
      expect(store.events.map((e) => e.name)).toEqual(["later"]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("gives the same user the same visitor id and anonymous events a shared one", () => {
    const at = new Date().toISOString();
    const one = toStoredEvent({ name: "a", timestamp: at, data: {}, context: { user_id: 7 } }, "s");
    const two = toStoredEvent({ name: "b", timestamp: at, data: {}, context: { user: "7" } }, "s");
    const anon = toStoredEvent({ name: "c", timestamp: at, data: {}, context: {} }, "s");
    expect(one.visitorId).toBe(two.visitorId);
    expect(one.userId).toBe("7");
    expect(anon.visitorId).not.toBe(one.visitorId);
    expect(anon.userId).toBeNull();
  });

  it("refuses a missing store or site with a clear error", () => {
    expect(() => createStoreBackend({ store: {} as MemoryStore, site: "s" })).toThrow(/insertEvents/);
    expect(() => createStoreBackend({ store: new MemoryStore(), site: "" })).toThrow(/site/);
  });
});
