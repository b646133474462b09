import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LongOperationProgress, OperationInterrupted } from "../src/lifecycle/long-operation.js";
import type { StatsQuery } from "../src/stats/types.js";
import type { EventStore, StoredEvent } from "../src/store/types.js";

/** Opens a fresh, migrated, empty store whose `live` clock is `now`. */
export type StoreFactory = (now: () => number) => Promise<EventStore>;

const Z = (iso: string) => Date.parse(iso);

/** A row with neutral defaults; tests spell out only what matters. */
export function storedEvent(
  over: Partial<StoredEvent> & Pick<StoredEvent, "ts" | "visitorId" | "sessionId">,
): StoredEvent {
  return {
    site: "example.com",
    type: "pageview",
    name: null,
    clientTs: null,
    url: null,
    path: null,
    title: null,
    referrer: null,
    referrerSource: null,
    utmSource: null,
    utmMedium: null,
    utmCampaign: null,
    userId: null,
    browser: null,
    os: null,
    device: null,
    engagedMs: null,
    props: null,
    ...over,
  };
}

const page = (path: string, over: Parameters<typeof storedEvent>[0]) =>
  storedEvent({ url: `https://example.com${path}`, path, ...over });

/**
 * The hand-computed fixture (see the expected values in the suite): four browser visitors, one server-side
 * user, a Paris DST change (2024-03-31 02:00 → 03:00 local), one event on another site, one before the range.
 */
export function statsFixture(): StoredEvent[] {
  const A = { visitorId: "va", sessionId: "sa1", browser: "Chrome", os: "Windows", device: "desktop" };
  const B = {
    visitorId: "vb",
    sessionId: "sb1",
    userId: "u1",
    browser: "Safari",
    os: "iOS",
    device: "mobile",
  };
  const C = { visitorId: "vc", sessionId: "sc1", browser: "Firefox", os: "Linux", device: "desktop" };
  const D = {
    visitorId: "vd",
    sessionId: "sd1",
    userId: "u1",
    browser: "Chrome",
    os: "Android",
    device: "mobile",
  };
  return [
    page("/", {
      ...A,
      ts: Z("2024-03-30T10:00:00Z"),
      referrer: "https://www.google.com/",
      referrerSource: "Google",
      utmSource: "newsletter",
      utmMedium: "email",
      utmCampaign: "spring",
    }),
    page("/pricing", { ...A, ts: Z("2024-03-30T10:01:00Z") }),
    page("/pricing", {
      ...A,
      type: "event",
      name: "Signup",
      props: { plan: "pro" },
      ts: Z("2024-03-30T10:02:00Z"),
    }),
    page("/pricing", { ...B, ts: Z("2024-03-30T11:00:00Z") }),
    page("/pricing", {
      ...B,
      type: "event",
      name: "Search",
      props: { query: "Pricing " },
      ts: Z("2024-03-30T11:01:00Z"),
    }),
    page("/pricing", {
      ...B,
      type: "event",
      name: "Signup",
      props: { plan: "free" },
      ts: Z("2024-03-30T11:02:00Z"),
    }),
    page("/blog", { ...C, ts: Z("2024-03-31T00:30:00Z") }),
    page("/", { ...C, ts: Z("2024-03-31T01:30:00Z") }),
    page("/", {
      ...D,
      ts: Z("2024-03-31T10:00:00Z"),
      referrer: "https://news.ycombinator.com/item?id=1",
      referrerSource: "Hacker News",
    }),
    page("/", {
      ...D,
      type: "event",
      name: "Search",
      props: { q: "pricing" },
      ts: Z("2024-03-31T10:01:00Z"),
    }),
    storedEvent({
      type: "server",
      name: "Invoice Paid",
      visitorId: "vs",
      sessionId: "ss1",
      userId: "u2",
      props: { amount: 20, paid: true },
      ts: Z("2024-03-31T12:00:00Z"),
    }),
    page("/", { visitorId: "vo", sessionId: "so1", site: "other.org", ts: Z("2024-03-30T10:00:00Z") }),
    page("/old", { visitorId: "vz", sessionId: "sz1", ts: Z("2024-03-29T10:00:00Z") }),
  ];
}

export const FIXTURE_NOW = Z("2024-03-31T12:10:00Z");

export const FIXTURE_QUERY: StatsQuery = {
  site: "example.com",
  from: new Date("2024-03-29T23:00:00Z"), // 2024-03-30 00:00 Europe/Paris
  to: new Date("2024-03-31T22:00:00Z"), // 2024-04-01 00:00 Europe/Paris (after the DST change)
  interval: "day",
  timezone: "Europe/Paris",
  limit: 10,
  searchEvents: ["Search"],
};

/** The same behaviour suite for every `EventStore` implementation. */
export function describeStore(name: string, factory: StoreFactory): void {
  describe(`${name} store`, () => {
    describe("stats on the hand-computed fixture", () => {
      let store: EventStore;
      beforeAll(async () => {
        store = await factory(() => FIXTURE_NOW);
        await store.insertEvents(statsFixture());
      });
      afterAll(async () => {
        await store.close();
      });

      it("computes totals, bounce rate and mean session length", async () => {
        const r = await store.stats(FIXTURE_QUERY);
        expect(r.totals).toEqual({
          visitors: 4,
          pageviews: 6,
          sessions: 5,
          events: 5,
          bounceRate: 0.5,
          avgSessionSeconds: 780,
        });
        expect(r).toMatchObject({ site: "example.com", interval: "day", timezone: "Europe/Paris" });
      });

      it("buckets days at local midnight across the DST change", async () => {
        const r = await store.stats(FIXTURE_QUERY);
        expect(r.series).toEqual([
          { bucket: "2024-03-30T00:00:00+01:00", visitors: 2, pageviews: 3 },
          { bucket: "2024-03-31T00:00:00+01:00", visitors: 3, pageviews: 3 },
        ]);
      });

      it("buckets hours in absolute time, labelled with the offset in force", async () => {
        const r = await store.stats({
          ...FIXTURE_QUERY,
          from: new Date("2024-03-31T00:00:00Z"),
          to: new Date("2024-03-31T02:00:00Z"),
          interval: "hour",
        });
        expect(r.series).toEqual([
          { bucket: "2024-03-31T01:00:00+01:00", visitors: 1, pageviews: 1 },
          { bucket: "2024-03-31T03:00:00+02:00", visitors: 1, pageviews: 1 },
        ]);
      });

      it("counts day, week and month active people ending at `to` (user id when known)", async () => {
        const r = await store.stats(FIXTURE_QUERY);
        expect(r.activeUsers).toEqual({ dau: 3, wau: 5, mau: 5 });
      });

      it("ranks pages, entry and exit pages", async () => {
        const r = await store.stats(FIXTURE_QUERY);
        expect(r.topPages).toEqual([
          { path: "/", pageviews: 3, visitors: 3 },
          { path: "/pricing", pageviews: 2, visitors: 2 },
          { path: "/blog", pageviews: 1, visitors: 1 },
        ]);
        expect(r.entryPages).toEqual([
          { path: "/", sessions: 2 },
          { path: "/blog", sessions: 1 },
          { path: "/pricing", sessions: 1 },
        ]);
        expect(r.exitPages).toEqual([
          { path: "/", sessions: 2 },
          { path: "/pricing", sessions: 2 },
        ]);
      });

      it("attributes sessions to the referrer of their first pageview, and reports UTM", async () => {
        const r = await store.stats(FIXTURE_QUERY);
        expect(r.referrers).toEqual([
          { name: "Direct / None", visitors: 2 },
          { name: "Google", visitors: 1 },
          { name: "Hacker News", visitors: 1 },
        ]);
        expect(r.utm).toEqual([{ source: "newsletter", medium: "email", campaign: "spring", visitors: 1 }]);
      });

      it("breaks people down by browser, OS and device", async () => {
        const r = await store.stats(FIXTURE_QUERY);
        expect(r.browsers).toEqual([
          { name: "Chrome", visitors: 2 },
          { name: "Firefox", visitors: 1 },
          { name: "Safari", visitors: 1 },
        ]);
        expect(r.os).toEqual([
          { name: "Android", visitors: 1 },
          { name: "Linux", visitors: 1 },
          { name: "Windows", visitors: 1 },
          { name: "iOS", visitors: 1 },
        ]);
        expect(r.devices).toEqual([
          { name: "desktop", visitors: 2 },
          { name: "mobile", visitors: 1 },
        ]);
      });

      it("lists custom and server events with their top properties", async () => {
        const r = await store.stats(FIXTURE_QUERY);
        expect(r.events).toEqual([
          {
            name: "Search",
            count: 2,
            visitors: 1,
            props: [
              { key: "q", value: "pricing", count: 1 },
              { key: "query", value: "Pricing ", count: 1 },
            ],
          },
          {
            name: "Signup",
            count: 2,
            visitors: 2,
            props: [
              { key: "plan", value: "free", count: 1 },
              { key: "plan", value: "pro", count: 1 },
            ],
          },
          {
            name: "Invoice Paid",
            count: 1,
            visitors: 1,
            props: [
              { key: "amount", value: "20", count: 1 },
              { key: "paid", value: "true", count: 1 },
            ],
          },
        ]);
      });

      it("lists signed-in users, search terms and live activity", async () => {
        const r = await store.stats(FIXTURE_QUERY);
        expect(r.users).toEqual([
          { userId: "u1", events: 5, pageviews: 2, lastSeen: "2024-03-31T10:01:00.000Z" },
          { userId: "u2", events: 1, pageviews: 0, lastSeen: "2024-03-31T12:00:00.000Z" },
        ]);
        expect(r.searchTerms).toEqual([{ term: "pricing", count: 2 }]);
        expect(r.live).toEqual({ visitors: 1, pageviews: 0 });
      });

      it("counts no search terms when no event name is a search", async () => {
        const q = { ...FIXTURE_QUERY, searchEvents: [] };
        expect((await store.stats(q)).searchTerms).toEqual([]);
        const scanned = await store.scanStats?.(q);
        if (store.scanStats) expect(scanned?.searchTerms).toEqual([]);
      });

      it("honours the row limit", async () => {
        const r = await store.stats({ ...FIXTURE_QUERY, limit: 1 });
        expect(r.topPages).toEqual([{ path: "/", pageviews: 3, visitors: 3 }]);
        expect(r.events).toHaveLength(1);
        expect(r.events[0]?.props).toHaveLength(1);
      });

      it("answers zeros, not errors, for a site without events", async () => {
        const r = await store.stats({ ...FIXTURE_QUERY, site: "nobody.example" });
        expect(r.totals).toEqual({
          visitors: 0,
          pageviews: 0,
          sessions: 0,
          events: 0,
          bounceRate: 0,
          avgSessionSeconds: 0,
        });
        expect(r.series.map((p) => p.pageviews)).toEqual([0, 0]);
        expect(r.topPages).toEqual([]);
      });

      it("lists the sites that have events and counts events per site", async () => {
        expect(await store.sites()).toEqual(["example.com", "other.org"]);
        expect(await store.countEvents()).toBe(13);
        expect(await store.countEvents("other.org")).toBe(1);
      });
    });

    describe("site ranking", () => {
      const now = Z("2026-11-08T12:00:00Z");
      let store: EventStore;
      let seq = 0;
      const at = (site: string, count: number, ts: number, type: StoredEvent["type"] = "pageview") =>
        Array.from({ length: count }, () =>
          storedEvent({ site, type, ts, visitorId: `v${++seq}`, sessionId: `s${seq}` }),
        );
      beforeAll(async () => {
        store = await factory(() => now);
        await store.insertEvents([
          ...at("shop.example", 3, now - 3 * 86_400_000),
          ...at("docs.example", 2, now - 3 * 86_400_000),
          // Many custom events, one pageview: ranks by pageviews only.
          ...at("!! Dashboard moved", 1, now - 3 * 86_400_000),
          ...at("!! Dashboard moved", 9, now - 3 * 86_400_000, "event"),
          // Busy long ago: only the last 30 days count.
          ...at("archive.example", 9, now - 60 * 86_400_000),
        ]);
      });
      afterAll(async () => {
        await store.close();
      });

      const expected = [
        { site: "shop.example", pageviews: 3 },
        { site: "docs.example", pageviews: 2 },
        { site: "!! Dashboard moved", pageviews: 1 },
        { site: "archive.example", pageviews: 0 },
      ];

      it("ranks sites by pageviews in the last 30 days, never by name", async () => {
        expect(await store.topSites(10)).toEqual(expected);
        expect(await store.topSites(1)).toEqual(expected.slice(0, 1));
      });

      it("ranks the same from the rollups and from events not rolled up yet", async () => {
        await store.refreshRollups?.();
        await store.insertEvents([...at("docs.example", 2, now - 60_000)]);
        expect(await store.topSites(10)).toEqual([
          { site: "docs.example", pageviews: 4 },
          ...expected.filter((e) => e.site !== "docs.example"),
        ]);
      });
    });

    describe("dashboard sessions", () => {
      let store: EventStore;
      beforeAll(async () => {
        store = await factory(Date.now);
      });
      afterAll(async () => {
        await store.close();
      });
      const session = (idHash: string, tokenKey: string, createdAt: number, lastSeenAt = createdAt) => ({
        idHash,
        tokenKey,
        createdAt,
        lastSeenAt,
      });

      it("creates, reads, touches and deletes a session", async () => {
        await store.createSession(session("h1", "k", 1_000));
        expect(await store.getSession("h1")).toEqual(session("h1", "k", 1_000));
        await store.touchSession("h1", 5_000);
        expect(await store.getSession("h1")).toEqual(session("h1", "k", 1_000, 5_000));
        await store.deleteSession("h1");
        expect(await store.getSession("h1")).toBeUndefined();
      });

      it("prunes sessions of other tokens, too old, or idle too long", async () => {
        await store.createSession(session("keep", "k", 10_000, 20_000));
        await store.createSession(session("other-token", "old", 10_000, 20_000));
        await store.createSession(session("too-old", "k", 1_000, 20_000));
        await store.createSession(session("idle", "k", 10_000, 10_000));
        expect(await store.pruneSessions("k", 5_000, 15_000)).toBe(3);
        expect(await store.getSession("keep")).toEqual(session("keep", "k", 10_000, 20_000));
        expect(await store.getSession("idle")).toBeUndefined();
      });
    });

    describe("data lifecycle and metadata", () => {
      let store: EventStore;
      beforeAll(async () => {
        store = await factory(Date.now);
      });
      afterAll(async () => {
        await store.close();
      });

      it("migrates idempotently", async () => {
        await store.migrate();
        await store.migrate();
        expect(await store.integrityCheck()).toEqual({ ok: true, details: "ok" });
      });

      it("adds destination counts per hour and sums the hours of a range", async () => {
        // Early enough that the retention below deletes no event of the other tests.
        const hour = Z("1970-01-02T00:00:00Z");
        const counts = (destination: string, at: number, n: number) => ({
          destination,
          hour: at,
          collected: n,
          forwarded: n - 1,
          failed: 1,
          dropped: 0,
        });
        await store.addDestinationCounts?.([counts("store", hour, 5), counts("ga4", hour, 5)]);
        await store.addDestinationCounts?.([counts("ga4", hour, 3), counts("ga4", hour + 3_600_000, 10)]);
        const range = (from: number, to: number) => store.destinationCounts?.(new Date(from), new Date(to));
        expect(await range(hour, hour + 7_200_000)).toEqual([
          { destination: "ga4", collected: 18, forwarded: 15, failed: 3, dropped: 0 },
          { destination: "store", collected: 5, forwarded: 4, failed: 1, dropped: 0 },
        ]);
        // Hours that start inside the range count; the one that started before it does not.
        expect(await range(hour + 60_000, hour + 7_200_000)).toEqual([
          { destination: "ga4", collected: 10, forwarded: 9, failed: 1, dropped: 0 },
        ]);
        // Retention drops the hours that ended before its cutoff.
        await store.deleteOlderThan(new Date(hour + 3_600_000));
        expect(await range(0, hour + 7_200_000)).toEqual([
          { destination: "ga4", collected: 10, forwarded: 9, failed: 1, dropped: 0 },
        ]);
      });

      it("adds page counts per site, path and hour, and sums the hours of a range", async () => {
        const hour = Z("1970-01-03T00:00:00Z");
        const counts = (site: string, path: string, at: number, served: number, reported: number) => ({
          site,
          path,
          hour: at,
          served,
          reported,
        });
        await store.addDocumentCounts?.([
          counts("a.test", "/", hour, 10, 0),
          counts("a.test", "/", hour, 0, 7),
        ]);
        await store.addDocumentCounts?.([
          counts("a.test", "/", hour, 2, 1),
          counts("a.test", "/pricing", hour + 3_600_000, 4, 4),
          counts("b.test", "/", hour, 99, 99),
        ]);
        const range = async (from: number, to: number) =>
          (await store.documentCounts?.("a.test", new Date(from), new Date(to)))?.sort((x, y) =>
            x.path.localeCompare(y.path),
          );
        expect(await range(hour, hour + 7_200_000)).toEqual([
          { path: "/", served: 12, reported: 8 },
          { path: "/pricing", served: 4, reported: 4 },
        ]);
        // Hours that start inside the range count; the one that started before it does not.
        expect(await range(hour + 60_000, hour + 7_200_000)).toEqual([
          { path: "/pricing", served: 4, reported: 4 },
        ]);
        await store.deleteOlderThan(new Date(hour + 3_600_000));
        expect(await range(0, hour + 7_200_000)).toEqual([{ path: "/pricing", served: 4, reported: 4 }]);
      });

      it("stores props as JSON and keeps every column", async () => {
        const e = storedEvent({
          site: "columns.test",
          type: "event",
          name: "Click",
          ts: 1_700_000_000_000,
          clientTs: 1_699_999_999_000,
          url: "https://columns.test/a?utm_source=x",
          path: "/a",
          title: "A",
          referrer: "https://ref.test/",
          referrerSource: "ref.test",
          utmSource: "x",
          visitorId: "v",
          sessionId: "s",
          userId: "u",
          browser: "Chrome",
          os: "Linux",
          device: "desktop",
          engagedMs: 1234,
          props: { s: "text", n: 1.5, b: false, z: null },
        });
        await store.insertEvents([e]);
        expect(await store.countEvents("columns.test")).toBe(1);
        const r = await store.stats({
          ...FIXTURE_QUERY,
          site: "columns.test",
          from: new Date(1_699_990_000_000),
          to: new Date(1_700_010_000_000),
          timezone: "UTC",
        });
        expect(r.events[0]?.props).toEqual([
          { key: "b", value: "false", count: 1 },
          { key: "n", value: "1.5", count: 1 },
          { key: "s", value: "text", count: 1 },
          { key: "z", value: "null", count: 1 },
        ]);
      });

      it("stores any text a page can send, in one batch: quotes, backslashes, line breaks, a lone surrogate", async () => {
        const paths = [
          '/q"uote',
          "/back\\slash\\ud800",
          "/line\nbreak",
          "/lone\ud800surrogate",
          "/emoji\u{1F600}",
        ];
        await store.insertEvents(
          paths.map((path, i) =>
            storedEvent({
              site: "text.test",
              path,
              visitorId: `v${i}`,
              sessionId: `s${i}`,
              ts: 1_700_000_000_000 + i,
            }),
          ),
        );
        const r = await store.stats({
          ...FIXTURE_QUERY,
          site: "text.test",
          from: new Date(1_699_990_000_000),
          to: new Date(1_700_010_000_000),
          timezone: "UTC",
        });
        // A lone surrogate is not text in UTF-8: both stores keep it as U+FFFD.
        const expected = paths.map((p) => p.replace("\ud800s", "\ufffds"));
        expect(r.topPages.map((p) => p.path).sort()).toEqual(expected.sort());
      });

      it("keeps metadata with first-writer-wins semantics", async () => {
        expect(await store.getMeta("k")).toBeUndefined();
        expect(await store.setMetaIfAbsent("k", "first")).toBe("first");
        expect(await store.setMetaIfAbsent("k", "second")).toBe("first");
        await store.setMeta("k", "third");
        expect(await store.getMeta("k")).toBe("third");
        await store.deleteMeta?.("k");
        expect(await store.getMeta("k")).toBeUndefined();
      });

      it("finds each visitor's latest session since a time", async () => {
        await store.insertEvents([
          storedEvent({ site: "sess.test", visitorId: "p", sessionId: "p1", ts: 1000 }),
          storedEvent({ site: "sess.test", visitorId: "p", sessionId: "p2", ts: 5000 }),
          storedEvent({ site: "sess.test", visitorId: "q", sessionId: "q1", ts: 500 }),
        ]);
        const found = await store.recentSessions?.(["p", "q", "r"], 900);
        expect(found).toEqual([{ visitorId: "p", sessionId: "p2", ts: 5000 }]);
      });

      it("deletes events older than a cutoff, in chunks", async () => {
        const old = Array.from({ length: 12_050 }, (_, i) =>
          storedEvent({ site: "retention.test", visitorId: `v${i % 7}`, sessionId: "s", ts: 1_000 + i }),
        );
        const recent = [
          storedEvent({ site: "retention.test", visitorId: "v", sessionId: "s", ts: 2_000_000 }),
        ];
        await store.insertEvents([...old, ...recent]);
        const before = await store.countEvents();
        const deleted = await store.deleteOlderThan(new Date(1_000_000));
        // Every row older than the cutoff, whatever site (the fixture rows above are old too).
        expect(deleted).toBeGreaterThanOrEqual(12_050);
        expect(await store.countEvents("retention.test")).toBe(1);
        expect(await store.countEvents()).toBe(before - deleted);
        expect(await store.deleteOlderThan(new Date(1_000_000))).toBe(0);
      });

      it("reports retention progress, stops between chunks when aborted and finishes when run again", async () => {
        const rows = Array.from({ length: 3000 }, (_, i) =>
          storedEvent({ site: "interrupt.test", visitorId: `i${i % 5}`, sessionId: "s", ts: 100 + i }),
        );
        await store.insertEvents(rows);
        const before = await store.countEvents();
        const controller = new AbortController();
        const first = store.deleteOlderThan(new Date(4000), {
          signal: controller.signal,
          onProgress: (p) => p.done > 0 && controller.abort(),
        });
        await expect(first).rejects.toThrow(OperationInterrupted);
        // It stopped after the chunk that deleted rows: some went, some of these are left.
        const after = await store.countEvents();
        expect(after).toBeLessThan(before);
        expect(await store.countEvents("interrupt.test")).toBeGreaterThan(0);
        const seen: LongOperationProgress[] = [];
        const rest = await store.deleteOlderThan(new Date(4000), { onProgress: (p) => seen.push(p) });
        expect(await store.countEvents("interrupt.test")).toBe(0);
        expect(await store.countEvents()).toBe(after - rest);
        expect(seen.at(-1)).toEqual({ task: "retention", done: rest, total: rest });
      });

      it("erases the rest of a user's events when an interrupted erasure runs again", async () => {
        const ts = Date.UTC(2031, 0, 1);
        const rows = Array.from({ length: 4000 }, (_, i) =>
          storedEvent({
            site: "erase-again.test",
            visitorId: `a${i % 3}`,
            sessionId: "s",
            userId: i % 2 ? "carol" : null,
            ts: ts + i,
          }),
        );
        rows.push(storedEvent({ site: "erase-again.test", visitorId: "other", sessionId: "o", ts }));
        await store.insertEvents(rows);
        const controller = new AbortController();
        const first = store.eraseUser("carol", {
          signal: controller.signal,
          onProgress: () => controller.abort(),
        });
        await expect(first).rejects.toThrow(/erasure interrupted/);
        expect(await store.countEvents("erase-again.test")).toBeGreaterThan(1);
        const seen: LongOperationProgress[] = [];
        await store.eraseUser("carol", { onProgress: (p) => seen.push(p) });
        expect(await store.countEvents("erase-again.test")).toBe(1);
        const last = seen.at(-1);
        expect(last?.task).toBe("erasure");
        expect(last?.done).toBe(last?.total);
      });

      it("erases a user's events and the anonymous events of the same visitor hashes", async () => {
        const ts = Date.UTC(2030, 0, 1);
        await store.insertEvents([
          storedEvent({ site: "erase.test", visitorId: "e1", sessionId: "x", ts }),
          storedEvent({ site: "erase.test", visitorId: "e1", sessionId: "x", userId: "alice", ts: ts + 1 }),
          storedEvent({ site: "erase.test", visitorId: "e2", sessionId: "y", userId: "alice", ts: ts + 2 }),
          storedEvent({ site: "erase.test", visitorId: "e3", sessionId: "z", userId: "bob", ts: ts + 3 }),
          storedEvent({ site: "erase.test", visitorId: "e4", sessionId: "w", ts: ts + 4 }),
        ]);
        expect(await store.eraseUser("alice")).toBe(3);
        expect(await store.countEvents("erase.test")).toBe(2);
        // Nothing is left to continue the erased visitors' sessions from either.
        expect(await store.recentSessions?.(["e1", "e2", "e3"], ts - 1)).toEqual([
          { visitorId: "e3", sessionId: "z", ts: ts + 3 },
        ]);
        expect(await store.eraseUser("alice")).toBe(0);
        const r = await store.stats({
          ...FIXTURE_QUERY,
          site: "erase.test",
          from: new Date(ts - 1000),
          to: new Date(ts + 1000),
          timezone: "UTC",
        });
        expect(r.users.map((u) => u.userId)).toEqual(["bob"]);
      });
    });
  });
}
