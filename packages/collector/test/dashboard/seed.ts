import type { StoredEvent } from "../../src/store/types.js";

/** mulberry32: a tiny seeded PRNG, so the same seed always yields the same events. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SeedOptions {
  /** How many events to produce (exactly). */
  events: number;
  /** PRNG seed. Default 1. */
  seed?: number;
  /** Sites the sessions are spread over. Default `["shop.example"]`. */
  sites?: string[];
  /** Events fall on the `days` UTC days before `end` (a UTC midnight). */
  end: Date;
  days: number;
  /** Distinct visitors (default events / 15) and signed-in users among them (default a third). */
  visitors?: number;
  users?: number;
  /** Include paths, props, referrers and user ids carrying HTML/JS payloads. Default true. */
  hostile?: boolean;
}

const DAY = 86_400_000;
const PATHS = [
  "/",
  "/pricing",
  "/docs",
  "/docs/install",
  "/blog",
  "/blog/launch",
  "/search",
  "/account",
  "/table/orders",
];
const HOSTILE_PATH = `/p/"><script>alert(1)</script>`;
const REFERRERS: [string | null, string | null][] = [
  [null, null],
  [null, null],
  ["https://www.google.com/", "Google"],
  ["https://news.ycombinator.com/item", "news.ycombinator.com"],
  ["https://github.com/o/r", "GitHub"],
  ["https://t.co/x", "Twitter"],
];
const UTMS: [string, string | null, string | null][] = [
  ["newsletter", "email", "november"],
  ["twitter", "social", null],
];
const AGENTS: [string, string, string][] = [
  ["Chrome", "Windows", "desktop"],
  ["Chrome", "Android", "mobile"],
  ["Firefox", "Linux", "desktop"],
  ["Safari", "iOS", "mobile"],
  ["Safari", "macOS", "desktop"],
  ["Edge", "Windows", "desktop"],
  ["Safari", "iOS", "tablet"],
];
const SEARCH_TERMS = ["orders", "revenue", "users table", "=SUM(A1)", "dau"];
const EDIT_FIELDS = ["description", "owner", "tags"];

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)] as T;
}

function hex(rand: () => number, length: number): string {
  let out = "";
  while (out.length < length)
    out += Math.floor(rand() * 0x100000000)
      .toString(16)
      .padStart(8, "0");
  return out.slice(0, length);
}

/**
 * Deterministic events for tests and benchmarks: sessions of 1–8 events that start with a pageview, last at
 * most a few minutes and never cross an hour boundary (so day buckets agree in every whole-hour time zone);
 * pageviews, custom events with props (`signup`, `download`, `edit`, `search` with `query`), engagement pings;
 * referrers, UTM tags, browsers/OS/devices per visitor; a share of visitors signed in with a user id.
 */
export function generateEvents(options: SeedOptions): StoredEvent[] {
  const rand = seededRandom(options.seed ?? 1);
  const sites = options.sites ?? ["shop.example"];
  const visitorCount = Math.max(1, options.visitors ?? Math.ceil(options.events / 15));
  const userCount = Math.max(0, options.users ?? Math.ceil(visitorCount / 3));
  const hostile = options.hostile ?? true;
  const paths = hostile ? [...PATHS, HOSTILE_PATH] : PATHS;
  const start = options.end.getTime() - options.days * DAY;

  const visitors = Array.from({ length: visitorCount }, (_, i) => {
    const agent = pick(rand, AGENTS);
    let userId: string | null = null;
    if (i < userCount) userId = hostile && i === 0 ? `"><img src=x onerror=alert(2)>` : `user-${i}`;
    return { id: hex(rand, 32), userId, browser: agent[0], os: agent[1], device: agent[2] };
  });

  const events: StoredEvent[] = [];
  while (events.length < options.events) {
    // The hostile user (visitor 0) is the busiest one, so it shows up in every "top users" table.
    const visitor =
      hostile && rand() < 0.04 ? (visitors[0] as (typeof visitors)[number]) : pick(rand, visitors);
    const site = pick(rand, sites);
    const day = Math.floor(rand() * options.days);
    const sessionStart =
      start + day * DAY + Math.floor(rand() * 24) * 3_600_000 + Math.floor(rand() * 26) * 60_000;
    const sessionId = hex(rand, 32);
    const [referrer, referrerSource] = pick(rand, REFERRERS);
    const utm = rand() < 0.15 ? pick(rand, UTMS) : null;
    const length = 1 + Math.floor(rand() * 8);
    let ts = sessionStart + Math.floor(rand() * 1000);
    for (let k = 0; k < length && events.length < options.events; k++) {
      const roll = rand();
      const type = k === 0 || roll < 0.6 ? "pageview" : roll < 0.92 ? "event" : "engagement";
      const path = pick(rand, paths);
      let name: string | null = null;
      let props: StoredEvent["props"] = null;
      if (type === "event") {
        const which = rand();
        if (which < 0.35) {
          name = "search";
          props = { query: pick(rand, SEARCH_TERMS) };
        } else if (which < 0.6) {
          name = "edit";
          props = { field: pick(rand, EDIT_FIELDS) };
        } else if (which < 0.85) {
          name = "download";
          props = { file: hostile && rand() < 0.1 ? `<svg onload=alert(3)>.pdf` : "report.pdf" };
        } else {
          name = "signup";
          props = { plan: rand() < 0.3 ? "pro" : "free" };
        }
      }
      events.push({
        site,
        type,
        name,
        ts,
        clientTs: ts - 40,
        url: `https://${site}${path}`,
        path,
        title: `Page ${path}`,
        referrer: k === 0 ? referrer : null,
        referrerSource: k === 0 ? referrerSource : null,
        utmSource: k === 0 && utm ? utm[0] : null,
        utmMedium: k === 0 && utm ? utm[1] : null,
        utmCampaign: k === 0 && utm ? utm[2] : null,
        visitorId: visitor.id,
        sessionId,
        userId: visitor.userId,
        browser: visitor.browser,
        os: visitor.os,
        device: visitor.device,
        engagedMs: type === "engagement" ? 1000 + Math.floor(rand() * 60_000) : null,
        props,
      });
      ts += 5_000 + Math.floor(rand() * 35_000);
    }
  }
  return events;
}
