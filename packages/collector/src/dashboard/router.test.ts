import { createHmac } from "node:crypto";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import { fixedStatsSource, sampleStatsResult } from "../../test/dashboard/fixture.js";
import type { AccessRule } from "../http/auth-types.js";
import { MemorySessionStore } from "../store/memory-sessions.js";
import { DASHBOARD_COOKIE } from "./access.js";
import { createDashboardRouter, type DashboardOptions, SITE_PICKER_SIZE } from "./router.js";
import { TABLES } from "./tables.js";

const servers: { close(): void }[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

const NOW = new Date("2026-11-08T12:00:00Z");
const errors: string[] = [];
const quiet = (message: string) => {
  errors.push(message);
};

/** Starts an app with the dashboard at /tracklet and a sibling route after it, on 127.0.0.1. */
async function start(
  access: AccessRule | undefined,
  extra: Partial<DashboardOptions> = {},
  result = sampleStatsResult(),
  rankedSites = ["shop.example", "blog.example"],
) {
  const { source, queries } = fixedStatsSource(result, rankedSites);
  const app = express();
  app.use(
    "/tracklet",
    createDashboardRouter({ stats: source, access, now: () => NOW, onError: quiet, ...extra }),
  );
  app.get("/tracklet/api/stats", (_req, res) => {
    res.json({ ok: "sibling route reached" });
  });
  const server = app.listen(0, "127.0.0.1");
  servers.push(server);
  await new Promise((resolve) => server.once("listening", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, { headers, redirect: "manual" });
  return { get, queries };
}

const ROUTES = [
  "/tracklet/",
  "/tracklet",
  "/tracklet/?site=shop.example&range=30d",
  ...TABLES.map((t) => `/tracklet/export/${t.id}.csv`),
];
const basic = (user: string, password: string) => ({
  authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`,
});

async function expectRefused(res: Response) {
  expect(res.status).toBe(401);
  const body = await res.text();
  for (const secret of ["12,345", "12345", "/pricing", "Firefox", "shop.example"])
    expect(body).not.toContain(secret);
}

describe("dashboard access", () => {
  it("refuses every route when no access rule is configured, whatever the request carries", async () => {
    const { get, queries } = await start(undefined);
    for (const route of ROUTES) {
      await expectRefused(await get(route, { authorization: "Bearer anything" }));
      await expectRefused(await get(`${route}${route.includes("?") ? "&" : "?"}token=anything`));
    }
    expect(queries).toHaveLength(0);
  });

  it("with a token: refuses every route without it or with a wrong one, and says how to sign in", async () => {
    const { get, queries } = await start({ token: "s3cret-token" });
    for (const route of ROUTES) {
      await expectRefused(await get(route));
      await expectRefused(await get(route, { authorization: "Bearer wrong" }));
      await expectRefused(await get(route, { cookie: `${DASHBOARD_COOKIE}=${"A".repeat(43)}` }));
      // The value every browser used to get (an HMAC of a fixed label keyed by the token) opens nothing now.
      const fixedValue = createHmac("sha256", "s3cret-token")
        .update("tracklet-dashboard-cookie-v1")
        .digest("base64url");
      await expectRefused(await get(route, { cookie: `${DASHBOARD_COOKIE}=${fixedValue}` }));
    }
    const res = await get("/tracklet/", { accept: "text/html" });
    expect(res.headers.get("www-authenticate")).toBe('Bearer realm="tracklet dashboard"');
    expect(await res.text()).toContain("?token=");
    expect(queries).toHaveLength(0);
  });

  it("with a token: accepts Authorization: Bearer on the page and every export", async () => {
    const { get } = await start({ token: "s3cret-token" });
    for (const route of ROUTES) {
      const res = await get(route, { authorization: "Bearer s3cret-token" });
      expect(res.status, route).toBe(200);
    }
  });

  it("with a token: ?token= once sets an HttpOnly SameSite=Strict cookie and redirects without the token", async () => {
    const { get } = await start({ token: "s3cret-token" });
    const first = await get("/tracklet/?range=30d&token=s3cret-token");
    expect(first.status).toBe(303);
    expect(first.headers.get("location")).toBe("/tracklet/?range=30d");
    const setCookie = first.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(new RegExp(`^${DASHBOARD_COOKIE}=[A-Za-z0-9_-]+;`));
    expect(setCookie).toContain("Path=/tracklet");
    expect(setCookie).toContain("HttpOnly");
    expect(setCookie).toContain("SameSite=Strict");
    expect(setCookie).not.toContain("s3cret-token");
    const cookie = setCookie.split(";")[0] as string;
    const page = await get("/tracklet/?range=30d", { cookie });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("12,345");
    const csv = await get("/tracklet/export/top-pages.csv", { cookie });
    expect(csv.status).toBe(200);
  });

  it("with Basic: prompts the browser, refuses wrong credentials, accepts the right ones", async () => {
    const { get } = await start({ basic: { user: "ops", password: "pa:ss" } });
    for (const route of ROUTES) {
      const res = await get(route);
      expect(res.headers.get("www-authenticate")).toBe('Basic realm="tracklet dashboard", charset="UTF-8"');
      await expectRefused(res);
      await expectRefused(await get(route, basic("ops", "wrong")));
      await expectRefused(await get(route, basic("admin", "pa:ss")));
      expect((await get(route, basic("ops", "pa:ss"))).status, route).toBe(200);
    }
  });

  it("with a hook: asks it with the request; false or a throw is a refusal", async () => {
    const seen: string[] = [];
    const { get } = await start((req) => {
      seen.push(req.path);
      if (req.headers["x-boom"]) throw new Error("hook failed");
      return req.headers["x-user"] === "alice";
    });
    for (const route of ROUTES) {
      await expectRefused(await get(route));
      await expectRefused(await get(route, { "x-user": "mallory" }));
      await expectRefused(await get(route, { "x-user": "alice", "x-boom": "1" }));
      expect((await get(route, { "x-user": "alice" })).status, route).toBe(200);
    }
    expect(seen).toContain("/export/top-pages.csv");
  });

  it("with a hook and loginUrl: redirects signed-out browsers to the login page with next=", async () => {
    const { get } = await start(async () => false, { loginUrl: "/login" });
    const res = await get("/tracklet/?range=7d");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/login?next=${encodeURIComponent("/tracklet/?range=7d")}`);
  });

  it("leaves paths it does not serve to the next handler, without asking for credentials", async () => {
    const { get } = await start({ token: "t" });
    const res = await get("/tracklet/api/stats");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: "sibling route reached" });
    expect((await get("/tracklet/export/nope.csv", { authorization: "Bearer t" })).status).toBe(404);
  });
});

describe("dashboard page", () => {
  const auth = { authorization: "Bearer t" };

  it("sends a strict CSP whose nonce is the one on the inline style and script", async () => {
    const { get } = await start({ token: "t" });
    for (const res of [await get("/tracklet/", auth), await get("/tracklet/")]) {
      const csp = res.headers.get("content-security-policy") ?? "";
      const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
      expect(nonce).toBeTruthy();
      expect(csp).toContain("default-src 'none'");
      expect(csp).not.toContain("unsafe-inline");
      const html = await res.text();
      expect(html).toContain(`<script nonce="${nonce}">`);
      expect(html).toContain(`<style nonce="${nonce}">`);
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(res.headers.get("x-frame-options")).toBe("DENY");
    }
  });

  it("opens on the busiest site, not the first by name, and offers only the busiest in its picker", async () => {
    const junk = Array.from(
      { length: 1000 },
      (_, i) => `!! Dashboard moved ${i}: sign in at https://evil.example`,
    );
    const { get, queries } = await start({ token: "t" }, {}, sampleStatsResult(), ["shop.example", ...junk]);
    const res = await get("/tracklet/", auth);
    expect(queries.map((q) => q.site)).toEqual(["shop.example"]);
    const html = await res.text();
    expect(html).toContain("<title>\u2068shop.example\u2069 · tracklet</title>");
    expect(html.match(/<option value="!!/g)).toHaveLength(SITE_PICKER_SIZE - 1);
    const { get: getOne } = await start({ token: "t" });
    const oneSite = await (await getOne("/tracklet/", auth)).text();
    // The issue measured 25,788 B growing to 471,740 B with 1,000 junk sites.
    expect(html.length - oneSite.length).toBeLessThan(10_000);
    const csv = await get("/tracklet/export/os.csv", auth);
    expect(csv.headers.get("content-disposition")).toContain('filename="shop.example-os-');
  });

  it("opens on the configured default site when the URL names none", async () => {
    const { get, queries } = await start({ token: "t" }, { defaultSite: "blog.example" });
    await get("/tracklet/", auth);
    await get("/tracklet/export/os.csv", auth);
    await get("/tracklet/?site=shop.example", auth);
    expect(queries.map((q) => q.site)).toEqual(["blog.example", "blog.example", "shop.example"]);
  });

  it("queries the first site by default with the URL's range, zone and limit", async () => {
    const { get, queries } = await start({ token: "t" }, { searchEvents: ["search", "find"] });
    const res = await get("/tracklet/?from=2026-11-01&to=2026-11-07&tz=Europe/Paris&limit=50", auth);
    expect(res.status).toBe(200);
    expect(queries).toEqual([
      {
        site: "shop.example",
        from: new Date("2026-10-31T23:00:00Z"),
        to: new Date("2026-11-07T23:00:00Z"),
        interval: "day",
        timezone: "Europe/Paris",
        limit: 50,
        searchEvents: ["search", "find"],
        goals: [],
        funnels: [],
      },
    ]);
    const html = await res.text();
    expect(html).toContain('<option value="blog.example">\u2068blog.example\u2069</option>');
    expect(html).toContain(
      'href="/tracklet/api/stats?site=shop.example&amp;from=2026-10-31T23%3A00%3A00.000Z',
    );
  });

  it("puts the configured goals and funnels in the query and exports them as CSV", async () => {
    const goals = [{ name: "signup", match: { kind: "event" as const, name: "signup", props: {} } }];
    const funnels = [
      {
        name: "checkout",
        steps: [
          { kind: "page" as const, path: "/cart" },
          { kind: "event" as const, name: "Purchase", props: {} },
        ],
      },
    ];
    const { get, queries } = await start({ token: "t" }, { goals, funnels });
    const csv = await (await get("/tracklet/export/funnels.csv", auth)).text();
    expect(queries[0]).toMatchObject({ goals, funnels });
    expect(csv.split("\r\n").slice(0, 2)).toEqual([
      "Funnel,Step,Matches,Visitors,Step conversion,Overall conversion,Drop-off",
      "checkout,1,page:/cart,917,100.0%,100.0%,0",
    ]);
    const goalsCsv = await (await get("/tracklet/export/goals.csv", auth)).text();
    expect(goalsCsv).toContain("signup,event:signup,143,1.2%,131,▲ 9.2%\r\n");
  });

  it("with compare=1 also queries the previous period of the same length", async () => {
    const { get, queries } = await start({ token: "t" });
    await get("/tracklet/?site=blog.example&from=2026-11-01&to=2026-11-07&compare=1", auth);
    expect(queries.map((q) => [q.site, q.from.toISOString(), q.to.toISOString()])).toEqual([
      ["blog.example", "2026-11-01T00:00:00.000Z", "2026-11-08T00:00:00.000Z"],
      ["blog.example", "2026-10-25T00:00:00.000Z", "2026-11-01T00:00:00.000Z"],
    ]);
  });

  it("answers 400 naming the bad parameter, for the page and for exports", async () => {
    const { get, queries } = await start({ token: "t" });
    const page = await get("/tracklet/?tz=Nowhere/Else", auth);
    expect(page.status).toBe(400);
    expect(await page.text()).toContain("tz: unknown time zone &quot;Nowhere/Else&quot;");
    const csv = await get("/tracklet/export/top-pages.csv?from=2026-11-09&to=2026-11-01", auth);
    expect(csv.status).toBe(400);
    expect(await csv.text()).toBe("from: 2026-11-09 is after to: 2026-11-01\n");
    expect(queries).toHaveLength(0);
  });

  it("answers 500 without details when the store fails", async () => {
    const app = express();
    const failing = {
      stats: async () => {
        throw new Error("SQLITE_BUSY secret detail");
      },
      sites: async () => ["a"],
      topSites: async () => [{ site: "a", pageviews: 1 }],
    };
    app.use("/d", createDashboardRouter({ stats: failing, access: { token: "t" }, onError: quiet }));
    const server = app.listen(0, "127.0.0.1");
    servers.push(server);
    await new Promise((resolve) => server.once("listening", resolve));
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/d/`, {
      headers: auth,
    });
    expect(res.status).toBe(500);
    expect(await res.text()).not.toContain("SQLITE_BUSY");
    expect(errors).toContain("tracklet dashboard: stats query failed");
  });
});

describe("CSV export", () => {
  it("downloads a table as RFC 4180 CSV with formula cells neutralised", async () => {
    const { get, queries } = await start({ token: "t" });
    const res = await get(
      "/tracklet/export/search-terms.csv?site=shop.example&from=2026-11-01&to=2026-11-07",
      {
        authorization: "Bearer t",
      },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8; header=present");
    expect(res.headers.get("content-disposition")).toBe(
      'attachment; filename="shop.example-search-terms-2026-11-01-2026-11-07.csv"',
    );
    expect(await res.text()).toBe(`Term,Searches\r\n"'=HYPERLINK(""http://evil"")",875\r\n`);
    expect(queries[0]?.limit).toBe(10);
  });

  it("exports event properties and users as the page shows them", async () => {
    const { get } = await start({ token: "t" });
    const props = await (await get("/tracklet/export/event-props.csv", { authorization: "Bearer t" })).text();
    expect(props).toBe(
      "Event,Property,Value,Count\r\nsignup,plan,pro,109\r\nsignup,plan,<img src=x onerror=alert('prop')>,2\r\n",
    );
    const users = await (await get("/tracklet/export/users.csv", { authorization: "Bearer t" })).text();
    expect(users).toBe(
      `User,Events,Pageviews,Last seen\r\n"""><svg onload=alert(1)>",1031,953,2026-11-07T18:00:00.000Z\r\n`,
    );
  });

  it("neutralises every formula bypass in exported event names", async () => {
    const names = [" =1+1", "\u00a0=1+1", "\uff1d1+1", "x;=1+1"];
    const events = names.map((name) => ({ name, count: 1, visitors: 1, props: [] }));
    const { get } = await start({ token: "t" }, {}, sampleStatsResult({ events }));
    const csv = await (await get("/tracklet/export/events.csv", { authorization: "Bearer t" })).text();
    expect(csv).toBe(
      "Event,Count,Visitors\r\n' =1+1,1,1\r\n'\u00a0=1+1,1,1\r\n'\uff1d1+1,1,1\r\n\"x;=1+1\",1,1\r\n",
    );
  });

  it("keeps the file name safe whatever the site is called", async () => {
    const { get } = await start({ token: "t" });
    const res = await get(`/tracklet/export/os.csv?site=${encodeURIComponent('a"b/../c')}`, {
      authorization: "Bearer t",
    });
    expect(res.headers.get("content-disposition")).toMatch(
      /^attachment; filename="a_b_.._c-os-[0-9-]+\.csv"$/,
    );
  });
});

describe("dashboard sessions", () => {
  const TOKEN = "s3cret-token";

  /** A dashboard on its own app; `sessions` may be shared between apps, like collectors sharing a store. */
  async function dashboard(options: Partial<DashboardOptions> = {}, trustProxy = false) {
    const { source } = fixedStatsSource(sampleStatsResult(), ["shop.example"]);
    const app = express();
    if (trustProxy) app.set("trust proxy", "loopback");
    app.use(
      "/tracklet",
      createDashboardRouter({
        stats: source,
        access: { token: TOKEN },
        now: () => NOW,
        onError: quiet,
        ...options,
      }),
    );
    const server = app.listen(0, "127.0.0.1");
    servers.push(server);
    await new Promise((resolve) => server.once("listening", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const request = (path: string, init: RequestInit = {}) =>
      fetch(`${base}${path}`, { redirect: "manual", ...init });
    const signIn = async (headers: Record<string, string> = {}) => {
      const res = await request(`/tracklet/?token=${TOKEN}`, { headers });
      expect(res.status).toBe(303);
      const setCookie = res.headers.get("set-cookie") ?? "";
      return { cookie: setCookie.split(";")[0] as string, setCookie };
    };
    const logoutTokenOf = async (cookie: string) => {
      const html = await (await request("/tracklet/", { headers: { cookie } })).text();
      return /name="logout" value="([^"]+)"/.exec(html)?.[1] ?? "";
    };
    const logout = (cookie: string, token: string, headers: Record<string, string> = {}) =>
      request("/tracklet/logout", {
        method: "POST",
        headers: { cookie, "content-type": "application/x-www-form-urlencoded", ...headers },
        body: new URLSearchParams({ logout: token }).toString(),
      });
    return { base, request, signIn, logoutTokenOf, logout };
  }

  it("gives every sign-in its own random session id, with the absolute lifetime as the cookie's", async () => {
    const d = await dashboard({ session: { maxAgeSeconds: 3600 } });
    const one = await d.signIn();
    const two = await d.signIn();
    expect(one.cookie).not.toBe(two.cookie);
    expect(one.cookie).toMatch(new RegExp(`^${DASHBOARD_COOKIE}=[A-Za-z0-9_-]{43}$`));
    expect(one.setCookie).toContain("Max-Age=3600");
    for (const { cookie } of [one, two])
      expect((await d.request("/tracklet/", { headers: { cookie } })).status).toBe(200);
  });

  it("marks the cookie Secure only for HTTPS, as trust proxy reports it", async () => {
    const trusting = await dashboard({}, true);
    expect((await trusting.signIn({ "x-forwarded-proto": "https" })).setCookie).toContain("Secure");
    expect((await trusting.signIn()).setCookie).not.toContain("Secure");
    const untrusting = await dashboard({}, false);
    expect((await untrusting.signIn({ "x-forwarded-proto": "https" })).setCookie).not.toContain("Secure");
  });

  it("signs out with a POST carrying the page's token, and the cookie opens nothing afterwards", async () => {
    const d = await dashboard();
    const { cookie } = await d.signIn();
    const other = await d.signIn();
    const token = await d.logoutTokenOf(cookie);
    expect(token).not.toBe("");
    expect(token).not.toBe(await d.logoutTokenOf(other.cookie));
    const res = await d.logout(cookie, token, { origin: d.base });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/tracklet/");
    expect(res.headers.get("set-cookie")).toMatch(
      new RegExp(`^${DASHBOARD_COOKIE}=;.*Expires=Thu, 01 Jan 1970`),
    );
    expect((await d.request("/tracklet/", { headers: { cookie } })).status).toBe(401);
    // Other browsers stay signed in.
    expect((await d.request("/tracklet/", { headers: { cookie: other.cookie } })).status).toBe(200);
  });

  it("refuses a sign-out without the page's token, from another origin, or by GET", async () => {
    const d = await dashboard();
    const { cookie } = await d.signIn();
    const token = await d.logoutTokenOf(cookie);
    expect((await d.logout(cookie, "")).status).toBe(403);
    expect((await d.logout(cookie, `${token}x`)).status).toBe(403);
    expect((await d.logout(cookie, token, { origin: "https://evil.example" })).status).toBe(403);
    expect((await d.request("/tracklet/logout", { headers: { cookie } })).status).toBe(404);
    expect((await d.request("/tracklet/", { headers: { cookie } })).status).toBe(200);
  });

  it("holds across a restart and across collectors sharing the store; a new token ends every session", async () => {
    const store = new MemorySessionStore();
    const { cookie } = await (await dashboard({ sessions: store })).signIn();
    const restarted = await dashboard({ sessions: store });
    expect((await restarted.request("/tracklet/", { headers: { cookie } })).status).toBe(200);
    const rotated = await dashboard({ sessions: store, access: { token: "new-token" } });
    expect((await rotated.request("/tracklet/", { headers: { cookie } })).status).toBe(401);
    // Refused once under the new token, the session is gone for the old token too.
    expect((await restarted.request("/tracklet/", { headers: { cookie } })).status).toBe(401);
  });
});

describe("Coverage from the source's page counts", () => {
  it("shows the figure on the page and exports it as coverage.csv", async () => {
    const { source } = fixedStatsSource(sampleStatsResult({ coverage: undefined }));
    const ranges: Array<[string, string, string]> = [];
    source.documentCounts = async (site, from, to) => {
      ranges.push([site, from.toISOString(), to.toISOString()]);
      return [
        { path: "/", served: 8, reported: 6 },
        { path: "/docs", served: 2, reported: 2 },
      ];
    };
    const app = express();
    app.use("/tracklet", createDashboardRouter({ stats: source, access: { token: "t" }, now: () => NOW }));
    const server = app.listen(0, "127.0.0.1");
    servers.push(server);
    await new Promise((resolve) => server.once("listening", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tracklet`;
    const auth = { authorization: "Bearer t" };
    const query = "?site=shop.example&from=2026-11-01&to=2026-11-07";
    const html = await (await fetch(`${base}/${query}`, { headers: auth })).text();
    expect(html).toContain('<span data-coverage="share">80.0%</span> of page loads reported');
    const csv = await (await fetch(`${base}/export/coverage.csv${query}`, { headers: auth })).text();
    expect(csv).toBe(
      "Page,Page loads,Reported,Coverage\r\nAll pages,10,8,80.0%\r\n/,8,6,75.0%\r\n/docs,2,2,100.0%\r\n",
    );
    expect(ranges[0]).toEqual(["shop.example", "2026-11-01T00:00:00.000Z", "2026-11-08T00:00:00.000Z"]);
  });
});
