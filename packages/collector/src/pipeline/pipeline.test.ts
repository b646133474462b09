import { describe, expect, it } from "vitest";
import { collected } from "../../test/collected-event.js";
import { BatchQueue } from "../destinations/batch-queue.js";
import type { CollectedEvent, Destination } from "../destinations/types.js";
import { createPipeline } from "./pipeline.js";
import type { CollectionSwitches } from "./switches.js";

const allOn: CollectionSwitches = {
  analyticsDisabled: false,
  collectPageviews: true,
  collectEvents: true,
  collectServerEvents: true,
};

/** A destination that records what it accepts; `capacity` makes it refuse when full, like the store. */
function recording(name: string, capacity?: number, release?: Promise<void>) {
  const received: CollectedEvent[] = [];
  const queue = new BatchQueue<CollectedEvent>({
    name,
    whenFull: capacity === undefined ? "drop-oldest" : "refuse",
    capacity: capacity ?? 10_000,
    flushAt: 1,
    send: async (batch) => {
      await release;
      received.push(...batch);
    },
  });
  const destination: Destination = {
    name,
    accept: (events) => queue.push(events),
    room: () => (capacity === undefined ? Number.POSITIVE_INFINITY : queue.room),
    flush: () => queue.flush(),
    close: () => queue.close(),
    metrics: () => ({ ...queue.metrics(), collected: 0, skipped: 0 }),
  };
  return { destination, received };
}

describe("createPipeline", () => {
  it("assigns sessions in order, then hands each batch to every destination", async () => {
    const a = recording("a");
    const b = recording("b");
    const seen: string[] = [];
    const pipeline = createPipeline({
      switches: allOn,
      destinations: [a.destination, b.destination],
      assignSessions: async (rows) => {
        for (const row of rows) {
          seen.push(row.name ?? "");
          row.sessionId = `session-of-${row.name}`;
        }
      },
      onError: () => {},
    });
    for (let i = 0; i < 5; i++)
      expect(pipeline.accept([collected({ type: "event", name: `e${i}`, sessionId: "" })])).toBe(true);
    await pipeline.flush();
    expect(seen).toEqual(["e0", "e1", "e2", "e3", "e4"]);
    for (const { received } of [a, b]) {
      expect(received.map((e) => e.row.sessionId)).toEqual(seen.map((n) => `session-of-${n}`));
    }
    expect(pipeline.metrics()).toMatchObject({ accepted: 5, queued: 0, failed: 0 });
    await pipeline.close();
  });

  it("refuses, all or nothing, what a refusing destination has no room for, counting waiting events", async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const store = recording("store", 4, gate);
    const forwarder = recording("forwarder", undefined, gate);
    const pipeline = createPipeline({
      switches: allOn,
      destinations: [store.destination, forwarder.destination],
      assignSessions: async () => {},
      onError: () => {},
    });
    expect(pipeline.accept([collected(), collected(), collected()])).toBe(true);
    expect(pipeline.accept([collected(), collected()])).toBe(false);
    expect(pipeline.accept([collected()])).toBe(true);
    expect(pipeline.accept([collected()])).toBe(false);
    open();
    await pipeline.flush();
    expect(store.received).toHaveLength(4);
    expect(forwarder.received).toHaveLength(4);
    expect(pipeline.metrics()).toMatchObject({ accepted: 4, queueFull: 3, failed: 0 });
    expect(pipeline.accept([collected()])).toBe(true);
    await pipeline.close();
    expect(pipeline.accept([collected()])).toBe(false);
  });

  it("retries session assignment when the store lookup fails, losing nothing", async () => {
    const a = recording("a");
    let failures = 1;
    const pipeline = createPipeline({
      switches: allOn,
      destinations: [a.destination],
      assignSessions: async () => {
        if (failures-- > 0) throw new Error("store down");
      },
      onError: () => {},
    });
    pipeline.accept([collected()]);
    await pipeline.flush();
    expect(a.received).toHaveLength(1);
    await pipeline.close();
  });

  it("lets the switches through only the streams that are on, and counts the rest", async () => {
    const a = recording("a");
    const pipeline = createPipeline({
      switches: { ...allOn, collectEvents: false },
      destinations: [a.destination],
      assignSessions: async () => {},
      onError: () => {},
    });
    expect(pipeline.collects("event")).toBe(false);
    pipeline.accept([
      collected(),
      collected({ type: "event", name: "x" }),
      collected({ type: "server", name: "y" }),
    ]);
    await pipeline.flush();
    expect(a.received.map((e) => e.row.type)).toEqual(["pageview", "server"]);
    expect(pipeline.metrics()).toMatchObject({ accepted: 2, disabled: 1 });
    await pipeline.close();
  });

  it("drops events a processor drops or throws on, reporting the failure", async () => {
    const a = recording("a");
    const errors: string[] = [];
    const pipeline = createPipeline({
      switches: allOn,
      destinations: [a.destination],
      processors: [
        (e) => (e.row.name === "drop" ? null : undefined),
        (e) => {
          if (e.row.name === "boom") throw new Error("redactor broke");
          return { ...e, row: { ...e.row, props: { redacted: true } } };
        },
      ],
      assignSessions: async () => {},
      onError: (message) => errors.push(message),
    });
    pipeline.accept(["keep", "drop", "boom"].map((name) => collected({ type: "event", name })));
    await pipeline.flush();
    expect(a.received.map((e) => [e.row.name, e.row.props])).toEqual([["keep", { redacted: true }]]);
    expect(pipeline.metrics().processorDropped).toBe(2);
    expect(errors[0]).toMatch(/processor #1 failed/);
    await pipeline.close();
  });
});
