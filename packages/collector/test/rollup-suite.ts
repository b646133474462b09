import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LongOperationProgress, OperationInterrupted } from "../src/lifecycle/long-operation.js";
import { addLocalDays } from "../src/stats/time-zone.js";
import type { StatsInterval, StatsQuery } from "../src/stats/types.js";
import type { EventStore, StoredEvent } from "../src/store/types.js";
import { TEST_FUNNELS, TEST_GOALS } from "./conversion-definitions.js";
import { seededRandom } from "./dashboard/seed.js";
import { storedEvent } from "./store-suite.js";

/** Opens a fresh, migrated, empty store without background rollup passes, whose clock is `now`. */
export type RollupStoreFactory = (now: () => number) => Promise<EventStore>;
/** Every rollup row of a store as comparable text (person ids and value ids resolved to their text). */
export type RollupDump = (store: EventStore) => Promise<string>;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const START = Date.UTC(2025, 2, 25, 0, 0, 0); // spans the 2025-03-30 DST change in Europe
const DAYS = 9;
const END = START + DAYS * DAY;
const NOW = END + 2 * HOUR;
const ZONES = ["UTC", "Europe/Paris", "Asia/Kolkata", "America/New_York"];
const SITES = ["r.test", "s.test"];
const PATHS = ["/", "/a", "/b", "/é", "/c?x", null];
const NAMES = ["search", "signup", "Download"];
const REFS = [null, null, "Google", "GitHub", "news.example"];

/**
 * Random events that exercise what the rollups must get right: sessions crossing hours (and the rollup chunk
 * boundaries), people signing in mid-session, people on several devices, identical timestamps, events of every
 * type, missing browser data, UTM triples with nulls, search terms and properties of every JSON type.
 */
export function randomEvents(seed: number, sessions: number, start = START, days = DAYS): StoredEvent[] {
  const rand = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
  const people = Array.from({ length: 40 }, (_, i) => ({
    visitorId: `v${seed}-${i}`,
    userId: i % 4 === 0 ? `u${i % 12}` : null,
    agent: pick([
      ["Chrome", "Windows", "desktop"],
      ["Safari", "iOS", "mobile"],
      [null, null, null],
      ["Firefox", "Linux", "desktop"],
    ] as const),
  }));
  const events: StoredEvent[] = [];
  for (let s = 0; s < sessions; s++) {
    const person = pick(people);
    const site = rand() < 0.8 ? (SITES[0] as string) : (SITES[1] as string);
    let ts = start + Math.floor(rand() * days * DAY);
    const sessionId = `s${seed}-${s}`;
    const length = 1 + Math.floor(rand() * 9);
    const signsInAt = person.userId === null && rand() < 0.2 ? Math.floor(rand() * length) : -1;
    for (let k = 0; k < length; k++) {
      const roll = rand();
      const type = roll < 0.55 ? "pageview" : roll < 0.8 ? "event" : roll < 0.9 ? "engagement" : "server";
      const name = type === "event" || type === "server" ? pick(NAMES) : null;
      let props: StoredEvent["props"] = null;
      if (name === "search")
        props = rand() < 0.5 ? { query: pick([" Shoes", "shoes ", "HAT"]) } : { q: "hat" };
      else if (name)
        props = { plan: pick(["pro", "free"]), n: pick([1, 1.5, 20]), ok: rand() < 0.5, z: null };
      const utm = k === 0 && rand() < 0.3;
      events.push(
        storedEvent({
          site,
          type,
          name,
          ts,
          path: pick(PATHS),
          referrerSource: k === 0 ? pick(REFS) : null,
          utmSource: utm ? pick(["news", "ads"]) : null,
          utmMedium: utm ? pick(["email", null]) : null,
          utmCampaign: utm ? pick(["spring", null]) : null,
          visitorId: person.visitorId,
          sessionId,
          userId: person.userId ?? (signsInAt >= 0 && k >= signsInAt ? `u${seed % 12}` : null),
          browser: type === "server" ? null : person.agent[0],
          os: type === "server" ? null : person.agent[1],
          device: type === "server" ? null : person.agent[2],
          props,
        }),
      );
      // Mostly seconds apart, sometimes the same millisecond, sometimes across an hour boundary.
      const gap = rand();
      ts += gap < 0.1 ? 0 : gap < 0.8 ? Math.floor(rand() * 120_000) : Math.floor(rand() * 50 * 60_000);
    }
  }
  return events;
}

/** Random queries: arbitrary millisecond ranges and whole local days, in every zone and interval. */
function randomQueries(seed: number, count: number): StatsQuery[] {
  const rand = seededRandom(seed);
  const out: StatsQuery[] = [];
  for (let i = 0; i < count; i++) {
    const timezone = ZONES[i % ZONES.length] as string;
    let from: number;
    let to: number;
    if (i % 3 === 0) {
      const day = START + Math.floor(rand() * DAYS) * DAY;
      from = addLocalDays(timezone, day, 0);
      to = addLocalDays(timezone, day, 1 + Math.floor(rand() * 7));
    } else {
      from = START - DAY + Math.floor(rand() * (DAYS + 1) * DAY);
      to = from + 1 + Math.floor(rand() * 5 * DAY);
    }
    const interval: StatsInterval =
      to - from < 3 * DAY ? pick(rand, ["hour", "day"]) : pick(rand, ["day", "week"]);
    out.push({
      site: rand() < 0.8 ? (SITES[0] as string) : (SITES[1] as string),
      from: new Date(from),
      to: new Date(to),
      interval,
      timezone,
      limit: rand() < 0.3 ? 2 : 10,
      searchEvents: ["search"],
      goals: TEST_GOALS,
      funnels: TEST_FUNNELS,
    });
  }
  return out;
}

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)] as T;
}

/** Every figure of `stats` must equal the raw scan's, for each query. */
async function expectExact(store: EventStore, queries: StatsQuery[]): Promise<void> {
  for (const q of queries) {
    const scanned = await store.scanStats?.(q);
    const rolled = await store.stats(q);
    expect(
      rolled,
      `${q.site} ${q.from.toISOString()}…${q.to.toISOString()} ${q.timezone} ${q.interval}`,
    ).toEqual(scanned);
  }
}

/** Every rollup row, ids resolved to text, in a stable order. */
export const ROLLUP_DUMP_SQL = {
  people: `SELECT st.site, p.dimension, v.text AS value, p.hour, sp.key AS person, p.halves, p.previous_half
      FROM stats_people p JOIN stats_sites st ON st.id = p.site_id JOIN stats_values v ON v.id = p.value
      JOIN stats_persons sp ON sp.id = p.person_id ORDER BY 1, 2, 3, 4, 5`,
  sessions: `SELECT st.site, s.hour, s.session, s.pageviews, s.first_ts, s.last_ts, s.entry_path, s.entry_referrer,
      sp.key AS entry_person, s.exit_path, s.previous_hour, s.next_hour FROM stats_sessions s
      JOIN stats_sites st ON st.id = s.site_id LEFT JOIN stats_persons sp ON sp.id = s.entry_person_id
      ORDER BY 1, 2, 3`,
  counters: `SELECT st.site, c.counter, c.hour, c.key1, c.key2, c.key3, c.count1, c.count2, c.measure
      FROM stats_counters c JOIN stats_sites st ON st.id = c.site_id ORDER BY 1, 2, 3, 4, 5, 6`,
  persons: "SELECT key FROM stats_persons ORDER BY key",
  journeys: `SELECT st.site, j.dimension, v.text AS value, j.ts, j.event_id, j.session, sp.key AS person, j.props
      FROM stats_journeys j JOIN stats_sites st ON st.id = j.site_id JOIN stats_values v ON v.id = j.value
      JOIN stats_persons sp ON sp.id = j.person_id ORDER BY 1, 2, 3, 4, 5`,
};

/** The rollup behaviour suite, the same for every store that keeps rollups. */
export function describeRollups(name: string, factory: RollupStoreFactory, dump: RollupDump): void {
  describe(`${name} stats rollups`, () => {
    let store: EventStore;
    beforeAll(async () => {
      store = await factory(() => NOW);
      await store.insertEvents(randomEvents(1, 700));
      await store.refreshRollups?.();
    }, 60_000);
    afterAll(async () => {
      await store.close();
    });

    it("answer every figure exactly as the raw scan, for random ranges, intervals and zones (incl. +05:30)", async () => {
      await expectExact(store, randomQueries(2, 40));
    }, 60_000);

    it("stay exact when late inserts reach built hours, before and after the next pass", async () => {
      await store.insertEvents(randomEvents(3, 60));
      await expectExact(store, randomQueries(4, 12));
      await store.refreshRollups?.();
      await expectExact(store, randomQueries(5, 12));
    }, 60_000);

    it("rebuild to the same rows, and passes running at once agree", async () => {
      await store.refreshRollups?.();
      const built = await dump(store);
      await store.refreshRollups?.();
      expect(await dump(store)).toBe(built);
      await store.rebuildRollups?.();
      expect(await dump(store)).toBe(built);
      await Promise.all([
        store.rebuildRollups?.(new Date(START + 3 * DAY + 1234)),
        store.refreshRollups?.(),
        store.rebuildRollups?.(new Date(START + 5 * DAY)),
      ]);
      await store.refreshRollups?.();
      expect(await dump(store)).toBe(built);
    }, 60_000);

    it("stop between chunks when interrupted, stay exact, and a rerun ends with the same rows", async () => {
      const built = await dump(store);
      const stop = new AbortController();
      let updates = 0;
      const interrupted = store.rebuildRollups?.(new Date(0), {
        signal: stop.signal,
        onProgress: (p) => {
          if (p.task === "rollup backfill" && ++updates === 4) stop.abort();
        },
      });
      await expect(interrupted).rejects.toThrow(OperationInterrupted);
      expect(updates).toBe(4);
      await expectExact(store, randomQueries(12, 8));
      const seen: LongOperationProgress[] = [];
      await store.refreshRollups?.({ onProgress: (p) => seen.push(p) });
      expect(await dump(store)).toBe(built);
      expect(seen.length).toBeGreaterThan(1);
      expect(seen.every((p, i) => p.task === "rollup backfill" && p.done >= (seen[i - 1]?.done ?? 0))).toBe(
        true,
      );
      expect(seen.at(-1)?.done).toBe(seen.at(-1)?.total);
    }, 60_000);

    it("drop a rebuild's old rollups in steps from the end: stopped midway they stay exact, and a rerun completes", async () => {
      const built = await dump(store);
      const stop = new AbortController();
      const drops: LongOperationProgress[] = [];
      const interrupted = store.rebuildRollups?.(new Date(0), {
        signal: stop.signal,
        onProgress: (p) => {
          if (p.task !== "rollup drop") return;
          drops.push(p);
          if (p.total !== null && p.done > 0 && p.done < p.total) stop.abort();
        },
      });
      await expect(interrupted).rejects.toThrow(OperationInterrupted);
      expect(drops.at(-1)?.done).toBeLessThan(drops.at(-1)?.total ?? 0);
      await expectExact(store, randomQueries(13, 8));
      const seen: LongOperationProgress[] = [];
      await store.refreshRollups?.({ onProgress: (p) => seen.push(p) });
      expect(await dump(store)).toBe(built);
      const dropped = seen.filter((p) => p.task === "rollup drop");
      expect(dropped.length).toBeGreaterThan(1);
      expect(dropped.at(-1)?.done).toBe(dropped.at(-1)?.total);
    }, 60_000);

    it("forget an erased user everywhere, and stay exact", async () => {
      expect((await store.stats(allOf(SITES[0] as string))).users.map((u) => u.userId)).toContain("u4");
      expect(await dump(store)).toContain('"u4"');
      expect(await store.eraseUser("u4")).toBeGreaterThan(0);
      expect(await dump(store)).not.toContain('"u4"');
      expect((await store.stats(allOf(SITES[0] as string))).users.map((u) => u.userId)).not.toContain("u4");
      await expectExact(store, randomQueries(6, 8));
      await store.refreshRollups?.();
      expect(await dump(store)).not.toContain('"u4"');
      await expectExact(store, randomQueries(7, 8));
    }, 60_000);

    it("follow retention: trimmed hours go, the cutoff hour is read raw", async () => {
      const cutoff = new Date(START + 4 * DAY + 17 * 60_000 + 5);
      await store.deleteOlderThan(cutoff);
      const journeys = JSON.parse(await dump(store))[Object.keys(ROLLUP_DUMP_SQL).indexOf("journeys")];
      expect(journeys.length).toBeGreaterThan(0);
      const floor = Math.ceil(cutoff.getTime() / HOUR) * HOUR;
      expect(journeys.filter((j: { ts: unknown }) => Number(j.ts) < floor)).toEqual([]);
      await expectExact(store, randomQueries(8, 12));
      await store.refreshRollups?.();
      await expectExact(store, [
        ...randomQueries(9, 8),
        allOf(SITES[0] as string),
        allOf(SITES[1] as string),
      ]);
      await store.rebuildRollups?.();
      await expectExact(store, randomQueries(10, 8));
    }, 60_000);
  });
  describeManyPathRankings(name, factory);
}

/** Ranking suite: many distinct paths, few rows shown, so the ranked candidates and the raw parts' deltas matter. */
function describeManyPathRankings(name: string, factory: RollupStoreFactory): void {
  describe(`${name} stats rollups over many distinct paths`, () => {
    it("rank top, entry and exit pages exactly as the raw scan when few of many paths show", async () => {
      const store = await factory(() => NOW);
      try {
        const rand = seededRandom(21);
        // Skewed over 300 paths: a few popular ones, a long tail of ties.
        const events = randomEvents(21, 900).map((e) =>
          e.type === "pageview" && e.path !== null
            ? { ...e, path: `/p/${Math.floor(rand() ** 3 * 300)}` }
            : e,
        );
        await store.insertEvents(events);
        await store.refreshRollups?.();
        await expectExact(
          store,
          randomQueries(22, 24).map((q) => ({ ...q, limit: 1 + (q.from.getTime() % 3) })),
        );
      } finally {
        await store.close();
      }
    }, 60_000);
  });
}

function allOf(site: string): StatsQuery {
  return {
    site,
    from: new Date(START - DAY),
    to: new Date(END + DAY),
    interval: "day",
    timezone: "Asia/Kolkata",
    limit: 100,
    searchEvents: ["search"],
  };
}
