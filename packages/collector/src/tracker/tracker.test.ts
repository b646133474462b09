import { describe, expect, it, vi } from "vitest";
import { recordingTarget, recordingTracker } from "../../test/recording-target.js";
import { createTracker } from "./tracker.js";

const memoryBackend = recordingTracker;
const quiet = () => ({ collector: recordingTarget(), site: "test.example" });

const fixedClock = () => new Date("2024-05-01T12:00:00.000Z");

describe("createTracker", () => {
  it("reproduces edX event-tracking's README example: three events with the documented contexts", () => {
    const backend = memoryBackend();
    const tracker = createTracker({ ...backend.options, now: fixedClock });

    tracker.enterContext("outer", { user_id: 10938 });
    tracker.emit("navigation.request", { url: "http://www.edx.org/some/path/1" });
    tracker.context("inner", { user_id: 11111, session_id: "2987lkjdyoioey" }, () => {
      tracker.emit("navigation.request", { url: "http://www.edx.org/some/path/2" });
    });
    tracker.emit("navigation.request", { url: "http://www.edx.org/some/path/3" });

    expect(backend.events).toEqual([
      {
        name: "navigation.request",
        timestamp: "2024-05-01T12:00:00.000Z",
        context: { user_id: 10938 },
        data: { url: "http://www.edx.org/some/path/1" },
      },
      {
        name: "navigation.request",
        timestamp: "2024-05-01T12:00:00.000Z",
        context: { user_id: 11111, session_id: "2987lkjdyoioey" },
        data: { url: "http://www.edx.org/some/path/2" },
      },
      {
        name: "navigation.request",
        timestamp: "2024-05-01T12:00:00.000Z",
        context: { user_id: 10938 },
        data: { url: "http://www.edx.org/some/path/3" },
      },
    ]);
  });

  it("merges nested contexts with the inner one winning on key clashes", () => {
    const backend = memoryBackend();
    const tracker = createTracker(backend.options);
    tracker.context("a", { app: "x", user: "1", level: "a" }, () => {
      tracker.context("b", { user: "2", level: "b" }, () => {
        tracker.enterContext("c", { level: "c", extra: true });
        tracker.emit("deep");
      });
      tracker.emit("middle");
    });
    expect(backend.events.map((e) => e.context)).toEqual([
      { app: "x", user: "2", level: "c", extra: true },
      { app: "x", user: "1", level: "a" },
    ]);
  });

  it("timestamps are ISO strings from the clock", () => {
    const backend = memoryBackend();
    createTracker(backend.options).emit("x");
    const ts = backend.events[0]?.timestamp ?? "";
    expect(new Date(ts).toISOString()).toBe(ts);
  });

  it("exitContext removes the innermost context with that name even when it is not on top", () => {
    const backend = memoryBackend();
    const tracker = createTracker(backend.options);
    tracker.context("scope", {}, () => {
      tracker.enterContext("a", { k: "a", a: 1 });
      tracker.enterContext("b", { k: "b", b: 1 });
      tracker.enterContext("c", { k: "c", c: 1 });
      expect(tracker.exitContext("b")).toBe(true);
      tracker.emit("after-exit-b");
      expect(tracker.exitContext("c")).toBe(true);
      tracker.emit("after-exit-c");
      expect(tracker.exitContext("missing")).toBe(false);
    });
    expect(backend.events.map((e) => e.context)).toEqual([
      { k: "c", a: 1, c: 1 },
      { k: "a", a: 1 },
    ]);
  });

  it("exitContext with a repeated name removes only the latest entry", () => {
    const tracker = createTracker(quiet());
    tracker.context("scope", {}, () => {
      tracker.enterContext("x", { v: 1 });
      tracker.enterContext("x", { v: 2 });
      tracker.exitContext("x");
      expect(tracker.getContext()).toEqual({ v: 1 });
    });
  });

  it("context() returns the function's result, sync and async, and restores the outer context", async () => {
    const tracker = createTracker(quiet());
    expect(tracker.context("s", { a: 1 }, () => 42)).toBe(42);
    const value = await tracker.context("s", { a: 2 }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return tracker.getContext();
    });
    expect(value).toEqual({ a: 2 });
    expect(tracker.getContext()).toEqual({});
  });

  it("keeps contexts of interleaved async scopes apart", async () => {
    const backend = memoryBackend();
    const tracker = createTracker(backend.options);
    const gate = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    await Promise.all(
      [3, 1, 2].map((delay, i) =>
        tracker.context("job", { job: i }, async () => {
          tracker.emit("start", { job: i });
          await gate(delay);
          tracker.enterContext("step", { step: `s${i}` });
          await gate(3 - delay);
          tracker.emit("end", { job: i });
        }),
      ),
    );
    for (const event of backend.events) {
      expect(event.context.job).toBe(event.data.job);
      if (event.name === "end") expect(event.context.step).toBe(`s${event.data.job}`);
      else expect(event.context.step).toBeUndefined();
    }
    expect(backend.events).toHaveLength(6);
  });

  it("rethrows from context() unchanged and restores the context", () => {
    const tracker = createTracker(quiet());
    const boom = new Error("boom");
    expect(() =>
      tracker.context("s", { a: 1 }, () => {
        throw boom;
      }),
    ).toThrow(boom);
    expect(tracker.getContext()).toEqual({});
  });

  it("processors enrich, redact and drop events in order", () => {
    const backend = memoryBackend();
    const tracker = createTracker({
      ...backend.options,
      processors: [
        (e) => (e.name.startsWith("debug.") ? null : e),
        (e) => ({ ...e, data: { ...e.data, host: "web-1" } }),
        (e) => {
          if ("password" in e.data) e.data.password = "[redacted]";
          return undefined;
        },
        backend.record,
      ],
    });
    tracker.emit("debug.noise", { a: 1 });
    tracker.emit("login", { user: "ann", password: "hunter2" });
    expect(backend.events).toHaveLength(1);
    expect(backend.events[0]?.data).toEqual({ user: "ann", password: "[redacted]", host: "web-1" });
  });

  it("drops the event and reports when a processor throws", () => {
    const backend = memoryBackend();
    const onError = vi.fn();
    const tracker = createTracker({
      ...backend.options,
      onError,
      processors: [
        () => {
          throw new Error("redactor broke");
        },
        backend.record,
      ],
    });
    tracker.emit("secret", { password: "x" });
    expect(backend.events).toEqual([]);
    expect(onError).toHaveBeenCalledWith(expect.any(Error), expect.objectContaining({ stage: "processor" }));
  });

  it("hands each event to the collector as a server row of its site, with user, path and flat props", () => {
    const backend = memoryBackend();
    const tracker = createTracker({ ...backend.options, now: fixedClock });
    tracker.context("request", { user: "u-1", session: "secret-session-token", path: "/cart" }, () => {
      tracker.emit("cart.checkout", { items: 3, coupon: null, meta: { a: 1 }, ok: true });
    });
    expect(backend.target.rows).toHaveLength(1);
    const row = backend.target.rows[0];
    expect(row).toMatchObject({
      site: "test.example",
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

  it("refuses a missing collector or site with a clear error", () => {
    expect(() => createTracker({ site: "s" } as never)).toThrow(/collector/);
    expect(() => createTracker({ collector: recordingTarget(), site: "" })).toThrow(/site/);
  });

  it("reports an invalid event name instead of throwing", () => {
    const onError = vi.fn();
    const backend = memoryBackend();
    const tracker = createTracker({ ...backend.options, onError });
    tracker.emit("" as string);
    expect(backend.events).toEqual([]);
    expect(String(onError.mock.calls[0]?.[0])).toMatch(/non-empty string/);
  });

  it("is a no-op when the collector does not collect server events", () => {
    const target = recordingTarget((type) => type !== "server");
    const tracker = createTracker({ collector: target, site: "s" });
    tracker.emit("x");
    expect(tracker.enabled).toBe(false);
    expect(target.rows).toEqual([]);
  });

  it("close() flushes the collector and ignores later emits", async () => {
    const target = recordingTarget();
    let flushed = 0;
    target.flush = async () => void flushed++;
    const tracker = createTracker({ collector: target, site: "s" });
    tracker.emit("a");
    await tracker.close();
    tracker.emit("late");
    expect(target.rows.map((r) => r.name)).toEqual(["a"]);
    expect(flushed).toBe(1);
  });
});
