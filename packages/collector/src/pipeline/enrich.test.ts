import { describe, expect, it } from "vitest";
import { DailySalt } from "./daily-salt.js";
import { enrichEvents, pagePath } from "./enrich.js";
import { sessionId, visitorId } from "./identity.js";
import { referrerSource, utmParams } from "./referrer-source.js";
import { isBotUserAgent, parseUserAgent } from "./user-agent.js";

const UA = {
  chromeWin:
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
  safariIphone:
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
  firefoxLinux: "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
  ipad: "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1",
  edgeMac:
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0",
  androidChrome:
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36",
};

describe("user agent", () => {
  it.each([
    [UA.chromeWin, "Chrome", "Windows", "desktop"],
    [UA.safariIphone, "Safari", "iOS", "mobile"],
    [UA.firefoxLinux, "Firefox", "Linux", "desktop"],
    [UA.ipad, "Safari", "iOS", "tablet"],
    [UA.edgeMac, "Microsoft Edge", "macOS", "desktop"],
    [UA.androidChrome, "Chrome", "Android", "mobile"],
  ])("parses %s", (ua, browser, os, device) => {
    expect(parseUserAgent(ua)).toEqual({ browser, os, device });
  });

  it("falls back to the screen width for the device class", () => {
    expect(parseUserAgent("SomeApp/1.0", 390).device).toBe("mobile");
    expect(parseUserAgent("SomeApp/1.0", 800).device).toBe("tablet");
    expect(parseUserAgent("SomeApp/1.0", 1440).device).toBe("desktop");
    expect(parseUserAgent("SomeApp/1.0").device).toBeNull();
  });

  it.each([
    ["Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"],
    ["Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)"],
    ["curl/8.4.0"],
    [
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36",
    ],
    [""],
    [undefined],
  ])("flags %s as a bot", (ua) => {
    expect(isBotUserAgent(ua)).toBe(true);
  });

  it("does not flag real browsers", () => {
    for (const ua of Object.values(UA)) expect(isBotUserAgent(ua)).toBe(false);
  });
});

describe("referrer source", () => {
  const page = "https://shop.example.com/p";
  it.each([
    ["https://www.google.com/search?q=x", "Google"],
    ["https://www.google.co.uk/", "Google"],
    ["https://duckduckgo.com/", "DuckDuckGo"],
    ["https://www.bing.com/search?q=a", "Bing"],
    ["https://t.co/abc", "Twitter"],
    ["https://l.facebook.com/l.php?u=x", "Facebook"],
    ["https://news.ycombinator.com/item?id=1", "Hacker News"],
    ["https://www.reddit.com/r/x", "Reddit"],
    ["https://blog.other.org/post", "blog.other.org"],
    ["https://www.other.org/", "other.org"],
  ])("%s → %s", (ref, source) => {
    expect(referrerSource(ref, page)).toBe(source);
  });

  it("treats no referrer, the same host and junk as direct/internal", () => {
    expect(referrerSource(undefined, page)).toBeNull();
    expect(referrerSource("https://shop.example.com/other", page)).toBeNull();
    expect(referrerSource("https://www.shop.example.com/", page)).toBeNull();
    expect(referrerSource("not a url", page)).toBeNull();
    expect(referrerSource("android-app://com.x/", page)).toBeNull();
  });
});

describe("UTM and page path", () => {
  it("reads utm_source/medium/campaign", () => {
    expect(utmParams("https://e.com/?utm_source=news&utm_medium=email&utm_campaign=spring&x=1")).toEqual({
      source: "news",
      medium: "email",
      campaign: "spring",
    });
    expect(utmParams("https://e.com/?utm_source=&utm_medium=cpc")).toEqual({
      source: null,
      medium: "cpc",
      campaign: null,
    });
  });

  it("keeps the fragment only for hash routes", () => {
    expect(pagePath("https://e.com/app/#/settings?tab=1")).toBe("/app/#/settings?tab=1");
    expect(pagePath("https://e.com/docs#install")).toBe("/docs");
  });
});

describe("visitor identity", () => {
  it("hashes salt + site + IP + user agent; any change gives another id", () => {
    const base = visitorId("salt", "site", "203.0.113.9", UA.chromeWin);
    expect(base).toMatch(/^[0-9a-f]{32}$/);
    expect(visitorId("salt", "site", "203.0.113.9", UA.chromeWin)).toBe(base);
    expect(visitorId("salt2", "site", "203.0.113.9", UA.chromeWin)).not.toBe(base);
    expect(visitorId("salt", "site2", "203.0.113.9", UA.chromeWin)).not.toBe(base);
    expect(visitorId("salt", "site", "203.0.113.10", UA.chromeWin)).not.toBe(base);
    expect(visitorId("salt", "site", "203.0.113.9", UA.firefoxLinux)).not.toBe(base);
    expect(sessionId(base, 1)).not.toBe(sessionId(base, 2));
  });

  it("enriches wire events without keeping the IP anywhere in the row", () => {
    const ip = "198.51.100.77";
    const [row] = enrichEvents(
      [
        {
          type: "pageview",
          site: "example.com",
          url: "https://example.com/a?utm_source=x",
          referrer: "https://www.google.com/",
          ts: 5,
          sw: 1200,
        },
      ],
      { ip, userAgent: UA.chromeWin, userId: "u1", now: 1000, salt: "s" },
    );
    expect(row).toMatchObject({
      type: "pageview",
      ts: 1000,
      clientTs: 5,
      path: "/a",
      referrerSource: "Google",
      utmSource: "x",
      userId: "u1",
      browser: "Chrome",
      os: "Windows",
      device: "desktop",
      visitorId: visitorId("s", "example.com", ip, UA.chromeWin),
      sessionId: "",
    });
    expect(JSON.stringify(row)).not.toContain(ip);
  });

  it("enriches each event of a mixed request by its own site and screen width", () => {
    const ev = (site: string, sw?: number) => ({
      type: "pageview" as const,
      site,
      url: `https://${site}/`,
      ...(sw === undefined ? {} : { sw }),
    });
    const ctx = { ip: "192.0.2.5", userAgent: "SomeApp/1.0", userId: null, now: 1, salt: "s" };
    const rows = enrichEvents(
      [
        ev("a.example", 390),
        ev("b.example", 390),
        ev("a.example", 1440),
        ev("a.example"),
        ev("b.example", 800),
      ],
      ctx,
    );
    expect(rows.map((r) => [r.visitorId, r.device])).toEqual([
      [visitorId("s", "a.example", ctx.ip, ctx.userAgent), "mobile"],
      [visitorId("s", "b.example", ctx.ip, ctx.userAgent), "mobile"],
      [visitorId("s", "a.example", ctx.ip, ctx.userAgent), "desktop"],
      [visitorId("s", "a.example", ctx.ip, ctx.userAgent), null],
      [visitorId("s", "b.example", ctx.ip, ctx.userAgent), "tablet"],
    ]);
  });

  it("gives each salt, site, IP and user agent its own visitor id, request after request and across salts", () => {
    const pv = (site: string) => ({ type: "pageview" as const, site, url: `https://${site}/` });
    const idOf = (salt: string, site: string, ip: string, userAgent: string) =>
      enrichEvents([pv(site)], { ip, userAgent, userId: null, now: 1, salt })[0]?.visitorId;
    const cases: Array<[string, string, string, string]> = [];
    for (const salt of ["day1", "day2"])
      for (const site of ["a.example", "b.example"])
        for (const ip of ["203.0.113.1", "203.0.113.2", "2001:db8::1"])
          for (const ua of [UA.chromeWin, UA.firefoxLinux]) cases.push([salt, site, ip, ua]);
    // Behind one shared address: more user agents than the cache keeps per IP.
    for (let i = 0; i < 12; i++)
      cases.push(["day1", "a.example", "198.51.100.1", `${UA.chromeWin} Build/${i}`]);
    // Twice over, the salts interleaved: cached answers must equal computed ones.
    for (const round of [0, 1])
      for (const c of round ? [...cases].reverse() : cases) expect(idOf(...c)).toBe(visitorId(...c));
  });
});

describe("daily salt", () => {
  it("is shared through the store, rotates at UTC midnight and forgets older days", async () => {
    const meta = new Map<string, string>();
    const store = {
      meta,
      setMetaIfAbsent: async (k: string, v: string) => {
        if (!meta.has(k)) meta.set(k, v);
        return meta.get(k) as string;
      },
      deleteMeta: async (k: string) => {
        meta.delete(k);
      },
    };
    let now = Date.parse("2024-05-01T23:59:00Z");
    const a = new DailySalt(store, () => now);
    const b = new DailySalt(store, () => now);
    const day1 = await a.current();
    expect(await b.current()).toBe(day1);
    expect(store.meta.get("salt:2024-05-01")).toBe(day1);

    now = Date.parse("2024-05-02T00:00:01Z");
    const day2 = await b.current();
    expect(day2).not.toBe(day1);
    expect(await a.current()).toBe(day2);
    expect(store.meta.has("salt:2024-05-01")).toBe(false);
    expect([...store.meta.keys()].filter((k) => k.startsWith("salt:"))).toEqual(["salt:2024-05-02"]);
  });
});
