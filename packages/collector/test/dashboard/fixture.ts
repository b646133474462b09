import type { StatsQuery, StatsResult, StatsSource } from "../../src/stats/types.js";

/** Hostile strings the dashboard must render inert wherever they appear. */
export const XSS = {
  path: `/search"><script>alert("path")</script>`,
  prop: `<img src=x onerror=alert('prop')>`,
  user: `"><svg onload=alert(1)>`,
  referrer: `javascript:alert(1)//<b>`,
} as const;

/** A complete, fixed stats result in which every number is distinct, so tests can find each one on the page. */
export function sampleStatsResult(overrides: Partial<StatsResult> = {}): StatsResult {
  return {
    site: "shop.example",
    from: "2026-11-01T00:00:00.000Z",
    to: "2026-11-08T00:00:00.000Z",
    interval: "day",
    timezone: "UTC",
    totals: {
      visitors: 12345,
      pageviews: 67890,
      sessions: 23456,
      events: 3456,
      bounceRate: 0.4213,
      avgSessionSeconds: 185,
    },
    series: Array.from({ length: 7 }, (_, i) => ({
      bucket: `2026-11-0${i + 1}T00:00:00+00:00`,
      visitors: 1000 + i * 11,
      pageviews: 5000 + i * 101,
    })),
    activeUsers: { dau: 1701, wau: 7702, mau: 30703 },
    topPages: [
      { path: "/pricing", pageviews: 4321, visitors: 2109 },
      { path: XSS.path, pageviews: 99, visitors: 98 },
    ],
    entryPages: [{ path: "/landing", sessions: 811 }],
    exitPages: [{ path: "/checkout/done", sessions: 733 }],
    referrers: [
      { name: "Google", visitors: 655 },
      { name: XSS.referrer, visitors: 3 },
    ],
    utm: [{ source: "newsletter", medium: "email", campaign: null, visitors: 577 }],
    browsers: [{ name: "Firefox", visitors: 499 }],
    os: [{ name: "Linux", visitors: 421 }],
    devices: [{ name: "tablet", visitors: 343 }],
    events: [
      {
        name: "signup",
        count: 265,
        visitors: 187,
        props: [
          { key: "plan", value: "pro", count: 109 },
          { key: "plan", value: XSS.prop, count: 2 },
        ],
      },
    ],
    users: [{ userId: XSS.user, events: 1031, pageviews: 953, lastSeen: "2026-11-07T18:00:00.000Z" }],
    searchTerms: [{ term: '=HYPERLINK("http://evil")', count: 875 }],
    goals: [
      {
        name: "signup",
        match: "event:signup",
        visitors: 143,
        conversionRate: 0.0116,
        previousVisitors: 131,
        change: 0.0916,
      },
      {
        name: "hostile",
        match: `page:${XSS.path}`,
        visitors: 61,
        conversionRate: 0.0049,
        previousVisitors: 0,
        change: null,
      },
    ],
    funnels: [
      {
        name: "checkout",
        steps: [
          { match: "page:/cart", visitors: 917, stepConversion: 1, overallConversion: 1, dropOff: 0 },
          {
            match: `page:${XSS.path}`,
            visitors: 389,
            stepConversion: 389 / 917,
            overallConversion: 389 / 917,
            dropOff: 528,
          },
          {
            match: "event:Purchase",
            visitors: 97,
            stepConversion: 97 / 389,
            overallConversion: 97 / 917,
            dropOff: 292,
          },
        ],
      },
    ],
    live: { visitors: 17, pageviews: 29 },
    coverage: {
      served: 500,
      reported: 415,
      share: 0.83,
      pages: [
        { path: "/", served: 300, reported: 270 },
        { path: XSS.path, served: 200, reported: 145 },
      ],
    },
    ...overrides,
  };
}

/** A result with every list empty and every number zero. */
export function emptyStatsResult(): StatsResult {
  return sampleStatsResult({
    totals: { visitors: 0, pageviews: 0, sessions: 0, events: 0, bounceRate: 0, avgSessionSeconds: 0 },
    series: [],
    activeUsers: { dau: 0, wau: 0, mau: 0 },
    topPages: [],
    entryPages: [],
    exitPages: [],
    referrers: [],
    utm: [],
    browsers: [],
    os: [],
    devices: [],
    events: [],
    users: [],
    searchTerms: [],
    goals: [],
    funnels: [],
    live: { visitors: 0, pageviews: 0 },
    coverage: undefined,
  });
}

/**
 * A stats source answering fixed results and remembering every query it got. `sites` are ranked as given (the
 * first has the most pageviews).
 */
export function fixedStatsSource(result: StatsResult, sites: string[] = [result.site]) {
  const queries: StatsQuery[] = [];
  const source: StatsSource = {
    async stats(query) {
      queries.push(query);
      return { ...result, site: query.site, from: query.from.toISOString(), to: query.to.toISOString() };
    },
    async sites() {
      return [...sites].sort();
    },
    async topSites(limit) {
      return sites.slice(0, limit).map((site, i) => ({ site, pageviews: sites.length - i }));
    },
  };
  return { source, queries };
}
