import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StatsQuery } from "../src/stats/types.js";
import type { EventStore, StoredEvent } from "../src/store/types.js";
import { TEST_FUNNELS, TEST_GOALS } from "./conversion-definitions.js";
import { expectedFunnel, expectedGoals } from "./conversion-figures.js";
import { seededRandom } from "./dashboard/seed.js";
import { randomEvents } from "./rollup-suite.js";

/** Opens a fresh, migrated, empty store without background rollup passes, whose clock is `now`. */
export type ConversionStoreFactory = (now: () => number) => Promise<EventStore>;

const DAY = 86_400_000;

/** Random ranges over the events' days, each with every goal and funnel. */
function randomQueries(seed: number, events: StoredEvent[], count: number): StatsQuery[] {
  const rand = seededRandom(seed);
  const start = Math.min(...events.map((e) => e.ts));
  const end = Math.max(...events.map((e) => e.ts)) + 1;
  const queries: StatsQuery[] = [];
  for (let i = 0; i < count; i++) {
    const from = i === 0 ? start : start + Math.floor(rand() * (end - start));
    const to = i === 0 ? end : Math.min(end + DAY, from + 1 + Math.floor(rand() * 4 * DAY));
    queries.push({
      site: rand() < 0.8 ? "r.test" : "s.test",
      from: new Date(from),
      to: new Date(to),
      interval: "day",
      timezone: "UTC",
      limit: 10,
      searchEvents: ["search"],
      goals: TEST_GOALS,
      funnels: TEST_FUNNELS,
    });
  }
  return queries;
}

/** Compares each query's goals and funnels, from `stats` and the raw scan, with plain JS; sums what converted. */
async function expectConversions(store: EventStore, events: StoredEvent[], queries: StatsQuery[]) {
  let converted = 0;
  for (const q of queries) {
    const label = `${q.site} ${q.from.toISOString()}…${q.to.toISOString()}`;
    const goals = expectedGoals(events, q, TEST_GOALS);
    const funnels = TEST_FUNNELS.map((f) => expectedFunnel(events, q, f));
    for (const result of [await store.stats(q), await store.scanStats?.(q)]) {
      if (!result) continue;
      expect(
        result.goals.map((g) => ({ ...g, match: undefined, change: undefined })),
        label,
      ).toEqual(goals.map((g) => ({ ...g, match: undefined, change: undefined })));
      expect(
        result.funnels.map((f) => f.steps.map((s) => s.visitors)),
        label,
      ).toEqual(funnels);
    }
    converted += goals.reduce((sum, g) => sum + g.visitors, 0) + funnels.flat().reduce((a, b) => a + b, 0);
  }
  return converted;
}

/** Goal and funnel figures of the store against plain JS over the same random sessions. */
export function describeConversions(name: string, factory: ConversionStoreFactory): void {
  describe(`${name} goals and funnels`, () => {
    let store: EventStore;
    let events: StoredEvent[];
    let now = 0;
    let end = 0;
    beforeAll(async () => {
      events = randomEvents(11, 600);
      const start = Math.min(...events.map((e) => e.ts));
      end = Math.max(...events.map((e) => e.ts));
      // Rollups first reach only the middle of the data: ranges across it are read from both sides.
      now = start + Math.floor((end - start) / 2);
      store = await factory(() => now);
      await store.insertEvents(events);
      await store.refreshRollups?.();
    }, 60_000);
    afterAll(async () => {
      await store.close();
    });

    it("equal an independent computation with rollups built halfway, and from the raw scan", async () => {
      expect(await expectConversions(store, events, randomQueries(13, events, 15))).toBeGreaterThan(300);
    }, 60_000);

    it("equal an independent computation for random ranges, from rollups and from the raw scan", async () => {
      now = end + 2 * DAY;
      await store.refreshRollups?.();
      // The data reaches every kind of goal and every step somewhere, so the comparison is not all zeros.
      expect(await expectConversions(store, events, randomQueries(12, events, 25))).toBeGreaterThan(500);
    }, 60_000);
  });
}
