import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConversionMatch } from "../src/stats/conversion-match.js";
import type { ConversionMatch, FunnelDefinition, GoalDefinition, StatsQuery } from "../src/stats/types.js";
import type { EventStore, StoredEvent } from "../src/store/types.js";
import { expectedFunnel, expectedGoals } from "./conversion-figures.js";
import { seededRandom } from "./dashboard/seed.js";
import { randomEvents } from "./rollup-suite.js";

/** Opens a fresh, migrated, empty store without background rollup passes, whose clock is `now`. */
export type ConversionStoreFactory = (now: () => number) => Promise<EventStore>;

const DAY = 86_400_000;

function step(text: string): ConversionMatch {
  const m = parseConversionMatch(text);
  if ("error" in m) throw new Error(m.error);
  return m;
}

/** Goals over the random events' paths (`/é`, `/c?x` with a literal `?`), names and props. */
export const TEST_GOALS: GoalDefinition[] = [
  "event:signup",
  "event:signup plan=pro",
  "event:Download",
  "event:search",
  "page:/a",
  "page:/*",
  "page:*b",
  "page:/c?x",
  "page:/é",
  "event:nothing",
].map((text, i) => ({ name: `g${i}`, match: step(text) }));

export const TEST_FUNNELS: FunnelDefinition[] = [
  ["page:/", "page:/a", "event:signup"],
  ["page:/*", "event:Download", "page:/b", "event:signup plan=pro"],
  // The same step twice takes two events; an event matching two steps counts for one.
  ["page:/a", "page:/a"],
  ["event:signup", "event:signup plan=pro"],
  [
    "event:search",
    "page:/*",
    "event:search",
    "page:/*",
    "event:search",
    "page:/*",
    "event:search",
    "page:/*",
  ],
].map((steps, i) => ({ name: `f${i}`, steps: steps.map(step) }));

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

/** Goal and funnel figures of the store against plain JS over the same random sessions. */
export function describeConversions(name: string, factory: ConversionStoreFactory): void {
  describe(`${name} goals and funnels`, () => {
    let store: EventStore;
    let events: StoredEvent[];
    let now = 0;
    beforeAll(async () => {
      events = randomEvents(11, 600);
      now = Math.max(...events.map((e) => e.ts)) + 2 * DAY;
      store = await factory(() => now);
      await store.insertEvents(events);
      await store.refreshRollups?.();
    }, 60_000);
    afterAll(async () => {
      await store.close();
    });

    it("equal an independent computation for random ranges, from rollups and from the raw scan", async () => {
      let converted = 0;
      for (const q of randomQueries(12, events, 25)) {
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
        converted +=
          goals.reduce((sum, g) => sum + g.visitors, 0) + funnels.flat().reduce((a, b) => a + b, 0);
      }
      // The data reaches every kind of goal and every step somewhere, so the comparison is not all zeros.
      expect(converted).toBeGreaterThan(500);
    }, 60_000);
  });
}
