import { mkdtempSync, rmSync } from "node:fs";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createCollector } from "@tracklet/collector";
import { analytics, createSnippet, parseConfig } from "@tracklet/injector";
import express from "express";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { type CollectorProcess, startCollectorProcess } from "./support/collector-process.js";
import { printFigures } from "./support/figures.js";
import { fetchRaw } from "./support/http-client.js";
import { batchBody, pageview, post, sleep } from "./support/post.js";

const TOKEN = "hardening-dashboard-token";
const dir = mkdtempSync(join(tmpdir(), "tracklet-dashboard-abuse-"));
let storeCount = 0;
const running: CollectorProcess[] = [];

async function collector(args: string[] = [], env: Record<string, string> = {}) {
  const store = join(dir, `store-${++storeCount}.sqlite`);
  const proc = await startCollectorProcess(["--store", store, "--token", TOKEN, ...args], env);
  running.push(proc);
  return proc;
}

afterEach(async () => {
  for (const proc of running.splice(0)) await proc.kill9();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The `n`th case variant of `name` (bit i of n upper-cases letter i). */
function caseVariant(name: string, n: number): string {
  let bit = 0;
  return [...name]
    .map((c) => (/[a-z]/i.test(c) && (n >> bit++) & 1 ? c.toUpperCase() : c.toLowerCase()))
    .join("");
}

/** Runs `count` jobs, `concurrency` at a time. */
async function pool(count: number, concurrency: number, job: (i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await job(next++);
    }),
  );
}

describe("dashboard and stats API under hostile query values", () => {
  it("keep memory flat across 10,000 distinct time zone spellings", async () => {
    const proc = await collector();
    expect((await post(`${proc.url}/collect`, batchBody([pageview("shop.example", 1)]))).status).toBe(202);
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    const auth = { authorization: `Bearer ${TOKEN}` };
    const zones = ["America/Argentina/Buenos_Aires", "America/Los_Angeles", "Europe/Amsterdam"];
    const ask = async (i: number) => {
      const tz = encodeURIComponent(
        caseVariant(zones[i % zones.length] ?? "UTC", Math.floor(i / zones.length)),
      );
      const path = i % 2 === 0 ? `/api/stats?site=shop.example&tz=${tz}` : `/?site=shop.example&tz=${tz}`;
      const res = await fetchRaw(`${proc.url}${path}`, { headers: auth, agent });
      expect(res.status).toBe(200);
    };
    // Warm up with other spellings, so the caches are full before the first reading.
    await pool(1_000, 8, (i) => ask(i + 20_000));
    const before = proc.rssMb();
    const started = Date.now();
    await pool(10_000, 8, ask);
    const after = proc.rssMb();
    agent.destroy();
    printFigures("10,000 distinct tz spellings (stats API and dashboard)", [
      ["requests", 10_000],
      ["time", `${((Date.now() - started) / 1000).toFixed(1)} s`],
      ["RSS before → after", `${before} MB → ${after} MB`],
    ]);
    // Unbounded, each spelling kept a ~70 KB formatter: 10,000 of them would add about 700 MB.
    expect(after - before).toBeLessThan(40);
  });
});

const auth = { authorization: `Bearer ${TOKEN}` };
const TAKEOVER = "!! Dashboard moved: sign in at https://evil.example/login";
/** A pageview of `site` on a page with a valid URL whatever the site id is. */
const view = (site: string, seq: number) => ({
  type: "pageview",
  site,
  url: `https://evil.example/p/${seq}`,
});

async function page(proc: CollectorProcess, path: string, headers: Record<string, string> = auth) {
  const res = await fetchRaw(`${proc.url}${path}`, { headers });
  return { status: res.status, headers: res.headers, body: res.body.toString() };
}

/** Waits until the collector has written events of `site` (the write queue flushes on an interval). */
async function stored(proc: CollectorProcess, site: string, events: number) {
  for (let i = 0; i < 100; i++) {
    const res = await page(proc, `/api/stats?site=${encodeURIComponent(site)}`);
    const { totals } = JSON.parse(res.body) as { totals: { pageviews: number; events: number } };
    if (totals.pageviews + totals.events >= events) return;
    await sleep(100);
  }
  throw new Error(`events of ${site} were not stored in 10 s`);
}

describe("hostile site ids", () => {
  it("cannot take over the dashboard's default view, and 1,000 of them barely grow the page", async () => {
    const proc = await collector([], { TRACKLET__COLLECTOR__MAX_SITES: "2000" });
    const real = Array.from({ length: 5 }, (_, i) => pageview("shop.example", i));
    expect((await post(`${proc.url}/collect`, batchBody([...real, view(TAKEOVER, 1)]))).status).toBe(202);
    await stored(proc, TAKEOVER, 1);
    const before = await page(proc, "/");
    expect(before.status).toBe(200);
    expect(before.body).toContain("<title>\u2068shop.example\u2069 · tracklet</title>");
    for (let batch = 0; batch < 10; batch++) {
      const junk = Array.from({ length: 100 }, (_, i) => view(`!! junk ${batch * 100 + i}`, 1));
      expect((await post(`${proc.url}/collect`, batchBody(junk))).status).toBe(202);
    }
    await stored(proc, "!! junk 999", 1);
    const after = await page(proc, "/");
    expect(after.body).toContain("<title>\u2068shop.example\u2069 · tracklet</title>");
    printFigures("1,000 junk site ids", [
      ["dashboard page before", `${before.body.length} B`],
      ["dashboard page after", `${after.body.length} B`],
    ]);
    expect(after.body.length - before.body.length).toBeLessThan(10_000);
  });

  it("are refused past the distinct-site limit, naming the field, and counted", async () => {
    const proc = await collector();
    const junk = (from: number) => Array.from({ length: 100 }, (_, i) => view(`!! junk ${from + i}`, 1));
    expect((await post(`${proc.url}/collect`, batchBody([pageview("shop.example", 1)]))).status).toBe(202);
    await stored(proc, "shop.example", 1);
    expect((await post(`${proc.url}/collect`, batchBody(junk(0).slice(0, 99)))).status).toBe(202);
    // A known site first, then the 101st: the field named is the new site's.
    const refused = await post(
      `${proc.url}/collect`,
      batchBody([view("!! junk 0", 2), ...junk(99).slice(0, 99)]),
    );
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body).error).toMatchObject({ code: "too_many_sites", path: "batch[1].site" });
    expect(refused.headers["x-content-type-options"]).toBe("nosniff");
    const health = JSON.parse((await page(proc, "/healthz")).body) as { dropped: { siteOverLimit: number } };
    expect(health.dropped.siteOverLimit).toBe(100);
  });

  it("are refused unless listed in `sites`", async () => {
    const proc = await collector([], { TRACKLET__COLLECTOR__SITES: "shop.example, docs.example" });
    expect((await post(`${proc.url}/collect`, batchBody([pageview("docs.example", 1)]))).status).toBe(202);
    const refused = await post(`${proc.url}/collect`, JSON.stringify(view(TAKEOVER, 1)));
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body).error).toMatchObject({ code: "site_not_listed", path: "site" });
    await stored(proc, "docs.example", 1);
    // The dashboard opens on the first listed site.
    expect((await page(proc, "/")).body).toContain("<title>\u2068shop.example\u2069 · tracklet</title>");
  });

  it("have one length limit at ingestion, in the stats API and in the dashboard", async () => {
    const proc = await collector();
    const longest = `${"s".repeat(249)}.com`;
    const tooLong = `s${longest}`;
    expect(longest).toHaveLength(253);
    expect((await post(`${proc.url}/collect`, batchBody([pageview(longest, 1)]))).status).toBe(202);
    expect((await post(`${proc.url}/collect`, batchBody([pageview(tooLong, 1)]))).status).toBe(400);
    expect((await page(proc, `/api/stats?site=${longest}`)).status).toBe(200);
    expect((await page(proc, `/api/stats?site=${tooLong}`)).status).toBe(400);
    expect((await page(proc, `/?site=${longest}`)).status).toBe(200);
    expect((await page(proc, `/?site=${tooLong}`)).status).toBe(400);
  });

  it("show bidi controls visibly and isolated; exported formulas stay inert", async () => {
    const proc = await collector();
    const site = "shop.example\u202E";
    const names = [" =1+1", "\u00a0=1+1", "\uff1d1+1", "x;=1+1"];
    const events = names.map((name) => ({ type: "event", site, name, url: `https://shop.example/` }));
    const prop = {
      type: "event",
      site,
      name: "buy",
      url: "https://shop.example/",
      props: { "amount\u202E": "100 USD" },
    };
    expect((await post(`${proc.url}/collect`, batchBody([pageview(site, 1), ...events, prop]))).status).toBe(
      202,
    );
    await stored(proc, site, 6);
    const html = (await page(proc, `/?site=${encodeURIComponent(site)}`)).body;
    expect(html).not.toContain("\u202E");
    expect(html).toContain("Site <strong><bdi>shop.example&lt;U+202E&gt;</bdi></strong>");
    expect(html).toContain("<li><bdi>amount&lt;U+202E&gt;</bdi> = <bdi>100 USD</bdi>: 1</li>");
    const csv = (await page(proc, `/export/events.csv?site=${encodeURIComponent(site)}`)).body;
    for (const line of csv.split("\r\n").slice(1, -1)) expect(line, line).toMatch(/^("?')|^"x;=1\+1"|^buy,/);
    expect(csv).toContain('"x;=1+1"');
  });
});

describe("dashboard sessions", () => {
  async function signIn(proc: CollectorProcess): Promise<string> {
    const res = await page(proc, `/?token=${TOKEN}`, {});
    expect(res.status).toBe(303);
    return String(res.headers["set-cookie"]?.[0] ?? "").split(";")[0] ?? "";
  }

  it("give each sign-in its own session, kept across a restart and ended by a new token or sign-out", async () => {
    const store = join(dir, "sessions.sqlite");
    let proc = await startCollectorProcess(["--store", store, "--token", TOKEN]);
    running.push(proc);
    const cookie = await signIn(proc);
    expect(await signIn(proc)).not.toBe(cookie);
    await proc.stop();
    proc = await startCollectorProcess(["--store", store, "--token", TOKEN]);
    running.push(proc);
    const home = await page(proc, "/", { cookie });
    expect(home.status).toBe(200);
    const logoutToken = /name="logout" value="([^"]+)"/.exec(home.body)?.[1] ?? "";
    const second = await signIn(proc);
    const signOut = await post(
      `${proc.url}/logout`,
      new URLSearchParams({ logout: logoutToken }).toString(),
      {
        headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
      },
    );
    expect(signOut.status).toBe(303);
    expect((await page(proc, "/", { cookie })).status).toBe(401);
    expect((await page(proc, "/", { cookie: second })).status).toBe(200);
    await proc.stop();
    proc = await startCollectorProcess(["--store", store, "--token", "rotated-token"]);
    running.push(proc);
    expect((await page(proc, "/", { cookie: second })).status).toBe(401);
  });
});

describe("the injector beside the collector", () => {
  it("leaves the collector's dashboard and API alone; the app's pages keep the snippet with their nonce", async () => {
    const { settings } = parseConfig("[webserver]\nanalytics_tool = tracklet\n", { env: {} });
    const collector = createCollector({
      store: join(dir, "injected.sqlite"),
      env: {},
      access: { token: TOKEN },
      dashboard: true,
      mountPath: "/tracklet",
      onError: () => {},
    });
    const app = express();
    app.use((_req, res, next) => {
      res.locals.cspNonce = `n${Math.random().toString(36).slice(2)}`;
      next();
    });
    app.use(analytics({ snippet: createSnippet(settings) }));
    app.use("/tracklet", collector.router);
    app.get("/", (_req, res) => {
      res.send("<!doctype html><html><head><title>app</title></head><body>app</body></html>");
    });
    const server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      await collector.ready;
      const appPage = (await fetchRaw(`${base}/`)).body.toString();
      const nonce = /<script[^>]* nonce="([^"]+)"/.exec(appPage)?.[1];
      expect(nonce).toMatch(/^n/);
      const src = /<script data-tracklet-snippet[^>]* src="([^"]+)"/.exec(appPage)?.[1] ?? "";
      expect(src).toMatch(/^\/tracklet\/tracklet\.[^/]*js$/);
      for (const path of ["/tracklet/", "/tracklet/api/sites", "/tracklet/?site=x&tz=Mars/Olympus"]) {
        const res = await fetchRaw(`${base}${path}`, { headers: auth });
        const body = res.body.toString();
        expect(body, path).not.toContain(src);
        expect(body, path).not.toContain("data-tracklet");
      }
      const signedOut = (
        await fetchRaw(`${base}/tracklet/`, { headers: { accept: "text/html" } })
      ).body.toString();
      expect(signedOut).not.toContain("data-tracklet");
      const script = await fetchRaw(`${base}${src}`);
      expect(script.status).toBe(200);
    } finally {
      server.close();
      await collector.close();
    }
  });
});

describe("slow bodies", () => {
  it("get 408 and a closed connection after body_timeout_ms, without the server's own request timeout", async () => {
    const proc = await collector([], { TRACKLET__COLLECTOR__BODY_TIMEOUT_MS: "1000" });
    const started = Date.now();
    const outcome = await new Promise<{ status: number; nosniff: unknown; closedMs: number }>(
      (resolve, reject) => {
        const req = request(`${proc.url}/collect`, {
          method: "POST",
          headers: { "content-type": "text/plain", "content-length": "1000" },
        });
        req.on("response", (res) => {
          res.resume();
          res.socket.on("close", () =>
            resolve({
              status: res.statusCode ?? 0,
              nosniff: res.headers["x-content-type-options"],
              closedMs: Date.now() - started,
            }),
          );
        });
        req.on("error", reject);
        // A byte every 200 ms: never idle long enough for an idle timeout, never done.
        const drip = setInterval(() => req.write("x"), 200);
        req.on("close", () => clearInterval(drip));
      },
    );
    printFigures("a body sent one byte every 200 ms", [
      ["answer", `${outcome.status} after ${outcome.closedMs} ms, connection closed`],
    ]);
    expect(outcome.status).toBe(408);
    expect(outcome.nosniff).toBe("nosniff");
    expect(outcome.closedMs).toBeGreaterThanOrEqual(900);
    expect(outcome.closedMs).toBeLessThan(5_000);
  });
});
