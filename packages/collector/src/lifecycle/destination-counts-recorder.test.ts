import { afterEach, describe, expect, it } from "vitest";
import type { DestinationMetrics } from "../destinations/types.js";
import { SqliteStore } from "../store/sqlite/sqlite-store.js";
import { DestinationCountsRecorder } from "./destination-counts-recorder.js";

const HOUR = Date.parse("2026-11-08T10:00:00Z");

function metrics(overrides: Partial<DestinationMetrics>): DestinationMetrics {
  return {
    collected: 0,
    skipped: 0,
    queued: 0,
    delivered: 0,
    failed: 0,
    dropped: 0,
    retries: 0,
    batches: 0,
    ...overrides,
  };
}

let store: SqliteStore | undefined;
afterEach(async () => {
  await store?.close();
});

describe("DestinationCountsRecorder", () => {
  it("adds what each destination did since the last write to the hour it is written in", async () => {
    store = new SqliteStore({ path: ":memory:" });
    await store.migrate();
    let now = HOUR + 60_000;
    const ga4 = { name: "ga4", m: metrics({ collected: 5, delivered: 3, failed: 1, skipped: 1 }) };
    const idle = { name: "json-lines", m: metrics({}) };
    const errors: string[] = [];
    const recorder = new DestinationCountsRecorder({
      store,
      ready: Promise.resolve(),
      destinations: [ga4, idle].map((d) => ({ name: d.name, metrics: () => d.m })),
      now: () => now,
      onError: (message) => errors.push(message),
    });
    await recorder.record();
    ga4.m = metrics({ collected: 9, delivered: 6, failed: 1, skipped: 1, dropped: 2 });
    now = HOUR + 3_600_000 + 1;
    await recorder.stop();
    await recorder.record();
    const range = (from: number, to: number) => store?.destinationCounts(new Date(from), new Date(to));
    expect(await range(HOUR, HOUR + 3_600_000)).toEqual([
      { destination: "ga4", collected: 5, forwarded: 3, failed: 1, dropped: 1 },
    ]);
    expect(await range(HOUR, HOUR + 7_200_000)).toEqual([
      { destination: "ga4", collected: 9, forwarded: 6, failed: 1, dropped: 3 },
    ]);
    expect(errors).toEqual([]);
  });

  it("keeps the counts of a failed write for the next one", async () => {
    store = new SqliteStore({ path: ":memory:" });
    await store.migrate();
    const real = store;
    let fail = true;
    const flaky = Object.assign(Object.create(real), {
      addDestinationCounts: (rows: Parameters<SqliteStore["addDestinationCounts"]>[0]) =>
        fail ? Promise.reject(new Error("disk full")) : real.addDestinationCounts(rows),
    }) as SqliteStore;
    const errors: string[] = [];
    const recorder = new DestinationCountsRecorder({
      store: flaky,
      ready: Promise.resolve(),
      destinations: [{ name: "store", metrics: () => metrics({ collected: 4, delivered: 4 }) }],
      now: () => HOUR,
      onError: (message) => errors.push(message),
    });
    await recorder.record();
    fail = false;
    await recorder.record();
    expect(errors).toEqual(["could not record the destination counts"]);
    expect(await real.destinationCounts(new Date(HOUR), new Date(HOUR + 1))).toEqual([
      { destination: "store", collected: 4, forwarded: 4, failed: 0, dropped: 0 },
    ]);
  });
});
