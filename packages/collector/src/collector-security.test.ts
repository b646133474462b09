import { mkdtempSync, rmSync } from "node:fs";
import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import express from "express";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { storedEvent } from "../test/store-suite.js";
import { type Collector, createCollector } from "./collector.js";
import type { CollectorOptions } from "./collector-options.js";
import { SqliteStore } from "./store/sqlite/sqlite-store.js";

const CHROME =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
const view = (site: string) => ({ type: "pageview", site, url: "https://example.com/" });
const dir = mkdtempSync(join(tmpdir(), "tracklet-collector-security-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const open: Array<{ server: Server; collector: Collector }> = [];
afterEach(async () => {
  for (const { server, collector } of open.splice(0)) {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await collector.close();
  }
});

let dbCount = 0;
/** The collector mounted at `/t` of an app, served directly or behind its request listener. */
async function start(options: CollectorOptions = {}, mount: "router" | "listener" = "router") {
  const collector = createCollector({
    store: join(dir, `c${dbCount++}.sqlite`),
    env: {},
    onError: () => {},
    mountPath: "/t",
    ...options,
  });
  const app = express();
  app.use("/t", collector.router);
  app.get("/t/app-page", (_req, res) => {
    res.type("html").send("<p>the app's own page</p>");
  });
  const server = await new Promise<Server>((resolve) => {
    const s = createServer(mount === "listener" ? collector.requestListener(app) : app);
    s.listen(0, "127.0.0.1", () => resolve(s));
  });
  open.push({ server, collector });
  await collector.ready;
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const base = `${origin}/t`;
  const post = (body: unknown) =>
    fetch(`${base}/collect`, {
      method: "POST",
      headers: { "content-type": "text/plain", "user-agent": CHROME },
      body: JSON.stringify(body),
    });
  return { collector, base, origin, post };
}

async function errorOf(res: Response) {
  return ((await res.json()) as { error: { code: string; path?: string } }).error;
}

describe.each(["router", "listener"] as const)("sites (%s)", (mount) => {
  it("takes events only for the listed sites: 403 naming the field, counted", async () => {
    const h = await start({ sites: ["shop.example", "docs.example"] }, mount);
    expect((await h.post(view("docs.example"))).status).toBe(202);
    const lone = await h.post(view("evil.example"));
    expect(lone.status).toBe(403);
    expect(await errorOf(lone)).toMatchObject({ code: "site_not_listed", path: "site" });
    const batch = await h.post({ batch: [view("shop.example"), view("shop.example"), view("x")] });
    expect(await errorOf(batch)).toMatchObject({ code: "site_not_listed", path: "batch[2].site" });
    expect(
      h.collector.ingest([storedEvent({ site: "evil.example", ts: 1, visitorId: "v", sessionId: "" })]),
    ).toBe(false);
    await h.collector.flush();
    expect(await h.collector.store.sites()).toEqual(["docs.example"]);
    const m = h.collector.metrics();
    expect(m.dropped.siteNotListed).toBe(5);
    expect(m.rejected).toBe(2);
  });

  it("without a list: counts the store's sites and refuses new ones past max_sites", async () => {
    const path = join(dir, `known-${mount}.sqlite`);
    const seed = new SqliteStore({ path, autoRollups: false });
    await seed.insertEvents(
      ["a.example", "b.example"].map((site) => storedEvent({ site, ts: 1, visitorId: "v", sessionId: "s" })),
    );
    await seed.close();
    const h = await start({ store: path, maxSites: 3 }, mount);
    expect((await h.post({ batch: [view("a.example"), view("c.example")] })).status).toBe(202);
    const refused = await h.post({ batch: [view("b.example"), view("d.example")] });
    expect(refused.status).toBe(403);
    expect(await errorOf(refused)).toMatchObject({ code: "too_many_sites", path: "batch[1].site" });
    expect(h.collector.metrics().dropped.siteOverLimit).toBe(2);
  });
});

/** Opens a POST to /collect that sends half its declared body and then nothing; resolves with what came back. */
function stalledPost(url: string): Promise<{ status: number; closedAfterMs: number; body: string }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const req = httpRequest(url, {
      method: "POST",
      headers: { "content-type": "text/plain", "user-agent": CHROME, "content-length": "100" },
    });
    req.on("response", (res) => {
      let body = "";
      res.on("data", (c: Buffer) => {
        body += c.toString();
      });
      res.socket.on("close", () =>
        resolve({ status: res.statusCode ?? 0, closedAfterMs: Date.now() - started, body }),
      );
    });
    req.on("error", reject);
    req.write('{"type":"pageview",');
  });
}

describe.each(["router", "listener"] as const)("body timeout (%s)", (mount) => {
  it("answers 408 to a body that stops arriving, and closes the connection", async () => {
    const h = await start({ bodyTimeoutMs: 300 }, mount);
    const { status, closedAfterMs, body } = await stalledPost(`${h.base}/collect`);
    expect(status).toBe(408);
    expect(JSON.parse(body).error.code).toBe("body_timeout");
    expect(closedAfterMs).toBeGreaterThanOrEqual(250);
    expect(closedAfterMs).toBeLessThan(3_000);
    expect(h.collector.metrics().rejected).toBe(1);
  });
});

describe("X-Content-Type-Options", () => {
  it("is nosniff on every response of the collector, and only on the collector's", async () => {
    const h = await start({
      access: { token: "t0k" },
      dashboard: true,
      rateLimit: { perSecond: 0.001, burst: 4 },
    });
    const auth = { authorization: "Bearer t0k" };
    const post = (body: string, type = "text/plain") =>
      fetch(`${h.base}/collect`, { method: "POST", headers: { "content-type": type }, body });
    const responses: Array<[string, Response]> = [
      ["202", await post(JSON.stringify(view("a.example")))],
      ["400", await post("{")],
      ["415", await post("{}", "text/html")],
      ["413", await post("x".repeat(70_000))],
      ["429", await post("{}")],
      ["preflight", await fetch(`${h.base}/collect`, { method: "OPTIONS" })],
      ["stats 401", await fetch(`${h.base}/api/stats?site=a.example`)],
      ["stats 200", await fetch(`${h.base}/api/stats?site=a.example`, { headers: auth })],
      ["stats 400", await fetch(`${h.base}/api/stats`, { headers: auth })],
      ["sites", await fetch(`${h.base}/api/sites`, { headers: auth })],
      ["dashboard", await fetch(`${h.base}/`, { headers: auth })],
      ["dashboard 401", await fetch(`${h.base}/`)],
    ];
    expect(responses.map(([, r]) => r.status)).toEqual([
      202, 400, 415, 413, 429, 204, 401, 200, 400, 200, 200, 401,
    ]);
    for (const [name, res] of responses)
      expect(res.headers.get("x-content-type-options"), name).toBe("nosniff");
    const appPage = await fetch(`${h.base}/app-page`);
    expect(appPage.headers.get("x-content-type-options")).toBeNull();
  });
});

describe("stats API and the dashboard session", () => {
  async function signIn(base: string): Promise<string> {
    const res = await fetch(`${base}/?token=t0k`, { redirect: "manual" });
    expect(res.status).toBe(303);
    const setCookie = res.headers.get("set-cookie") ?? "";
    expect(setCookie).toContain("Path=/t;");
    return setCookie.split(";")[0] as string;
  }

  it("answers the dashboard's own stats API link with its session cookie, for GET only", async () => {
    const h = await start({ access: { token: "t0k" }, dashboard: true, paths: { dashboard: "/dashboard" } });
    expect((await h.post(view("a.example"))).status).toBe(202);
    await h.collector.flush();
    const cookie = await signIn(`${h.base}/dashboard`);
    const page = await (await fetch(`${h.base}/dashboard/`, { headers: { cookie } })).text();
    const link = /<a href="([^"]+)">stats API<\/a>/.exec(page)?.[1]?.replaceAll("&amp;", "&");
    expect(link).toMatch(/^\/t\/api\/stats\?site=a\.example&/);
    const stats = await fetch(`${h.origin}${link}`, { headers: { cookie } });
    expect(stats.status).toBe(200);
    expect(((await stats.json()) as { totals: { pageviews: number } }).totals.pageviews).toBe(1);
    expect((await fetch(`${h.base}/api/sites`, { headers: { cookie } })).status).toBe(200);
    expect((await fetch(`${h.origin}${link}`)).status).toBe(401);
    expect((await fetch(`${h.origin}${link}`, { headers: { cookie: `${cookie}x` } })).status).toBe(401);
    expect(
      (await fetch(`${h.base}/api/stats?site=a.example`, { method: "POST", headers: { cookie } })).status,
    ).toBe(404);
  });
});
