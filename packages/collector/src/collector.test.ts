import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import express from "express";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { storedEvent } from "../test/store-suite.js";
import { type Collector, createCollector } from "./collector.js";
import type { CollectorOptions } from "./collector-options.js";
import { SqliteStore } from "./store/sqlite/sqlite-store.js";
import type { EventStore, StoredEvent } from "./store/types.js";

const CHROME =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
const pv = (path = "/a") => ({ type: "pageview", site: "example.com", url: `https://example.com${path}` });
const dir = mkdtempSync(join(tmpdir(), "tracklet-collector-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Harness {
  collector: Collector;
  base: string;
  post(body: unknown, headers?: Record<string, string>): Promise<Response>;
}

const open: Array<{ server: Server; collector: Collector }> = [];
afterEach(async () => {
  for (const { server, collector } of open.splice(0)) {
    await new Promise((r) => server.close(r));
    await collector.close();
  }
});

/**
 * How the harness serves the collector: its Express router mounted at `/t`, or the same app behind
 * `collector.requestListener` (which answers `/t/collect` itself). The ingestion suites run under both.
 */
type Mount = "router" | "listener";
let mount: Mount = "router";

let dbCount = 0;
async function start(
  options: CollectorOptions = {},
  configure?: (app: express.Express) => void,
): Promise<Harness> {
  const collector = createCollector({
    store: join(dir, `c${dbCount++}.sqlite`),
    env: {},
    onError: () => {},
    mountPath: "/t",
    ...options,
  });
  const app = express();
  configure?.(app);
  app.use("/t", collector.router);
  const server = await new Promise<Server>((resolve) => {
    const s = createServer(mount === "listener" ? collector.requestListener(app) : app);
    s.listen(0, "127.0.0.1", () => resolve(s));
  });
  open.push({ server, collector });
  await collector.ready;
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/t`;
  return {
    collector,
    base,
    post: (body, headers = {}) =>
      fetch(`${base}/collect`, {
        method: "POST",
        headers: { "content-type": "text/plain;charset=UTF-8", "user-agent": CHROME, ...headers },
        body: typeof body === "string" ? body : JSON.stringify(body),
      }),
  };
}

/** Sends a body in chunks without Content-Length (chunked encoding), the way a lying client would. */
function postChunked(url: string, chunks: number, chunkSize: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, {
      method: "POST",
      headers: { "content-type": "text/plain", "user-agent": CHROME, "transfer-encoding": "chunked" },
    });
    req.on("response", (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
    let sent = 0;
    const writeMore = () => {
      while (sent < chunks) {
        sent++;
        if (!req.write("x".repeat(chunkSize))) {
          req.once("drain", writeMore);
          return;
        }
      }
      req.end();
    };
    writeMore();
  });
}

async function errorBody(res: Response) {
  return ((await res.json()) as { error: { code: string; path?: string } }).error;
}

describe.each(["router", "listener"] as const)("POST /collect (%s)", (m) => {
  beforeEach(() => {
    mount = m;
  });
  afterAll(() => {
    mount = "router";
  });

  it("answers 202 and stores enriched events after a flush", async () => {
    const h = await start();
    const res = await h.post({
      batch: [pv("/a"), { ...pv("/b"), type: "event", name: "Signup", props: { plan: "pro" } }],
    });
    expect(res.status).toBe(202);
    await h.collector.flush();
    expect(await h.collector.store.countEvents("example.com")).toBe(2);
    const metrics = h.collector.metrics();
    expect(metrics).toMatchObject({ requests: 1, accepted: 2, stored: 2, queued: 0 });
  });

  it("accepts application/json and answers 415 for other content types", async () => {
    const h = await start();
    expect((await h.post(pv(), { "content-type": "application/json" })).status).toBe(202);
    const res = await h.post(pv(), { "content-type": "application/x-www-form-urlencoded" });
    expect(res.status).toBe(415);
    expect(await errorBody(res)).toMatchObject({ code: "unsupported_media_type" });
  });

  it("answers 400 with the offending field for invalid events and malformed JSON", async () => {
    const h = await start();
    const res = await h.post({ batch: [pv(), pv(), pv(), { ...pv(), url: 42 }] });
    expect(res.status).toBe(400);
    expect(await errorBody(res)).toMatchObject({ code: "invalid_type", path: "batch[3].url" });
    const bad = await h.post("{not json");
    expect(bad.status).toBe(400);
    expect(await errorBody(bad)).toMatchObject({ code: "invalid_json" });
    await h.collector.flush();
    expect(await h.collector.store.countEvents()).toBe(0);
  });

  it("answers 413 for a body over the limit, whether declared or streamed without a length", async () => {
    const h = await start({ maxBodyBytes: 1024 });
    const declared = await h.post("x".repeat(2000));
    expect(declared.status).toBe(413);
    expect(await errorBody(declared)).toMatchObject({ code: "body_too_large" });
    expect(await postChunked(`${h.base}/collect`, 64, 512)).toBe(413);
    // The server is still healthy.
    expect((await h.post(pv())).status).toBe(202);
  });

  it("answers 413 for too many events in a batch", async () => {
    const h = await start({ maxBodyBytes: 1_000_000 });
    const res = await h.post({ batch: Array.from({ length: 101 }, () => pv()) });
    expect(res.status).toBe(413);
    expect(await errorBody(res)).toMatchObject({ code: "too_many_events", path: "batch" });
  });

  it("never answers 500 to garbage and keeps serving", async () => {
    const h = await start({ rateLimit: false });
    const garbage = [
      "",
      "\u0000\u0001",
      "[]",
      "{}",
      '{"batch":[{}]}',
      "null",
      "1e999999",
      "{".repeat(5000),
      "\uFFFF",
    ];
    for (let i = 0; i < 30; i++) {
      garbage.push(
        Buffer.from(Array.from({ length: 200 }, () => Math.floor(Math.random() * 256))).toString("latin1"),
      );
    }
    for (const body of garbage) {
      const res = await h.post(body);
      expect(res.status, JSON.stringify(body.slice(0, 40))).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
    expect((await h.post(pv())).status).toBe(202);
  });

  it("counts bots and drops their events", async () => {
    const h = await start();
    const res = await h.post(pv(), {
      "user-agent": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    });
    expect(res.status).toBe(202);
    await h.collector.flush();
    expect(await h.collector.store.countEvents()).toBe(0);
    expect(h.collector.metrics().dropped.bot).toBe(1);
  });

  it("rate-limits per client with 429 and Retry-After", async () => {
    const h = await start({ rateLimit: { perSecond: 0.01, burst: 2 } });
    expect((await h.post(pv())).status).toBe(202);
    expect((await h.post(pv())).status).toBe(202);
    const limited = await h.post(pv());
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(h.collector.metrics().rateLimited).toBe(1);
  });

  it("answers 503 with Retry-After when the write queue is full", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const inner = new SqliteStore({ path: ":memory:" });
    const slow: EventStore = Object.assign(Object.create(inner) as EventStore, {
      insertEvents: async (e: StoredEvent[]) => {
        await gate;
        await inner.insertEvents(e);
      },
    });
    const h = await start({ store: slow, queue: { capacity: 2, maxBatch: 1 } });
    expect((await h.post({ batch: [pv(), pv()] })).status).toBe(202);
    const full = await h.post(pv());
    expect(full.status).toBe(503);
    expect(full.headers.get("retry-after")).toBe("1");
    expect(await errorBody(full)).toMatchObject({ code: "queue_full" });
    release();
    await h.collector.flush();
    expect(await inner.countEvents()).toBe(2);
    expect(h.collector.metrics().dropped.queueFull).toBe(1);
    await inner.close();
  });

  it("stores the user from getUser (async) and never the client IP", async () => {
    const ip = "203.0.113.195";
    const h = await start(
      { getUser: async (req) => (req.headers.authorization === "Bearer abc" ? "user-42" : null) },
      (app) => app.set("trust proxy", true),
    );
    expect((await h.post(pv(), { "x-forwarded-for": ip, authorization: "Bearer abc" })).status).toBe(202);
    expect((await h.post(pv("/b"), { "x-forwarded-for": ip })).status).toBe(202);
    await h.collector.flush();
    const store = h.collector.store as unknown as SqliteStore;
    const rows = store.db.prepare("SELECT * FROM events ORDER BY id").all() as Array<Record<string, unknown>>;
    expect(rows.map((r) => r.user_id)).toEqual(["user-42", null]);
    // Same IP + UA on the same day → same visitor and session.
    expect(rows[0]?.visitor_id).toBe(rows[1]?.visitor_id);
    expect(rows[0]?.session_id).toBe(rows[1]?.session_id);
    expect(JSON.stringify(rows)).not.toContain(ip);
    const meta = JSON.stringify(store.db.prepare("SELECT * FROM meta").all());
    expect(meta).not.toContain(ip);
    store.db.pragma("wal_checkpoint(TRUNCATE)");
    for (const f of readdirSync(dir).filter((n) => n.startsWith(store.path.split("/").pop() ?? ""))) {
      expect(readFileSync(join(dir, f)).includes(Buffer.from(ip))).toBe(false);
    }
  });

  it("gives different visitors different ids", async () => {
    const h = await start({}, (app) => app.set("trust proxy", true));
    await h.post(pv(), { "x-forwarded-for": "192.0.2.1" });
    await h.post(pv(), { "x-forwarded-for": "192.0.2.2" });
    await h.collector.flush();
    const store = h.collector.store as unknown as SqliteStore;
    const ids = store.db.prepare("SELECT DISTINCT visitor_id FROM events").all();
    expect(ids).toHaveLength(2);
  });

  it("writes queued events on close", async () => {
    const path = join(dir, `close-${mount}.sqlite`);
    const h = await start({ store: path, queue: { flushIntervalMs: 60_000 } });
    await h.post({ batch: [pv(), pv(), pv()] });
    await h.collector.close();
    const check = new SqliteStore({ path });
    expect(await check.countEvents()).toBe(3);
    await check.close();
  });
});

describe("requestListener", () => {
  beforeEach(() => {
    mount = "listener";
  });
  afterAll(() => {
    mount = "router";
  });

  it("hands every other path and method to the app", async () => {
    const h = await start({}, (app) => {
      app.get("/hello", (_req, res) => void res.send("from the app"));
      app.get("/t/collect", (_req, res) => void res.status(405).send("GET is the app's"));
    });
    const origin = new URL(h.base).origin;
    expect(await (await fetch(`${origin}/hello`)).text()).toBe("from the app");
    expect((await fetch(`${h.base}/collect`)).status).toBe(405);
    expect((await fetch(`${h.base}/collect-not`, { method: "POST" })).status).toBe(404);
    expect((await h.post(pv())).status).toBe(202);
    expect(h.collector.metrics().requests).toBe(1);
  });

  it("takes the client IP from the app's trust proxy setting", async () => {
    const trusting = await start({}, (app) => app.set("trust proxy", true));
    await trusting.post(pv(), { "x-forwarded-for": "192.0.2.1" });
    await trusting.post(pv(), { "x-forwarded-for": "192.0.2.2" });
    const untrusting = await start();
    await untrusting.post(pv(), { "x-forwarded-for": "192.0.2.1" });
    await untrusting.post(pv(), { "x-forwarded-for": "192.0.2.2" });
    for (const [h, visitors] of [
      [trusting, 2],
      [untrusting, 1],
    ] as const) {
      await h.collector.flush();
      const store = h.collector.store as unknown as SqliteStore;
      expect(store.db.prepare("SELECT DISTINCT visitor_id FROM events").all()).toHaveLength(visitors);
    }
  });

  it("leaves requests to the app when getUser needs the app's middleware", async () => {
    const h = await start(
      { getUser: (req) => (req as express.Request & { user?: string }).user ?? null },
      (app) =>
        app.use((req, _res, next) => {
          (req as express.Request & { user?: string }).user = "from-middleware";
          next();
        }),
    );
    expect((await h.post(pv())).status).toBe(202);
    await h.collector.flush();
    const store = h.collector.store as unknown as SqliteStore;
    expect(store.db.prepare("SELECT user_id FROM events").all()).toEqual([{ user_id: "from-middleware" }]);
  });
});

describe.each(["router", "listener"] as const)("CORS (%s)", (m) => {
  beforeEach(() => {
    mount = m;
  });
  afterAll(() => {
    mount = "router";
  });

  it("answers a preflight from an allowed origin with the allow headers and Vary: Origin", async () => {
    const h = await start({ cors: ["https://app.example.com"] });
    const res = await fetch(`${h.base}/collect`, {
      method: "OPTIONS",
      headers: {
        origin: "https://app.example.com",
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type",
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
    expect(res.headers.get("access-control-allow-methods")).toContain("POST");
    expect(res.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("content-type");
    expect(res.headers.get("vary")).toContain("Origin");
  });

  it("refuses other origins with 403 and no allow header", async () => {
    const h = await start({ cors: ["https://app.example.com"] });
    const res = await h.post(pv(), { origin: "https://evil.example" });
    expect(res.status).toBe(403);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    expect(await errorBody(res)).toMatchObject({ code: "origin_not_allowed" });
  });

  it("allows the collector's own origin and any origin with *", async () => {
    const h = await start();
    const own = new URL(h.base).origin;
    expect((await h.post(pv(), { origin: own })).status).toBe(202);
    const star = await start({ cors: "*" });
    const res = await star.post(pv(), { origin: "https://anywhere.example" });
    expect(res.status).toBe(202);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
  });
});

describe("opt-out switches", () => {
  it("analytics_disabled stores nothing and answers 204", async () => {
    const h = await start({ analyticsDisabled: true });
    expect((await h.post(pv())).status).toBe(204);
    expect(
      h.collector.ingest([storedEvent({ type: "server", name: "x", visitorId: "v", sessionId: "s", ts: 1 })]),
    ).toBe(false);
    await h.collector.flush();
    expect(await h.collector.store.countEvents()).toBe(0);
  });

  it("the env override TRACKLET__COLLECTOR__ANALYTICS_DISABLED=True wins over options", async () => {
    const h = await start({
      analyticsDisabled: false,
      env: { TRACKLET__COLLECTOR__ANALYTICS_DISABLED: "True" },
    });
    expect((await h.post(pv())).status).toBe(204);
    expect(h.collector.settings.sources.analytics_disabled).toBe("TRACKLET__COLLECTOR__ANALYTICS_DISABLED");
  });

  it("switches pageviews, custom events and server events separately", async () => {
    const h = await start({ collectPageviews: false, collectServerEvents: false });
    const batch = [
      pv(),
      { ...pv(), type: "engagement", engagedMs: 100 },
      { ...pv(), type: "event", name: "Signup" },
    ];
    expect((await h.post({ batch })).status).toBe(202);
    expect(
      h.collector.ingest([storedEvent({ type: "server", name: "x", visitorId: "v", sessionId: "s", ts: 1 })]),
    ).toBe(false);
    await h.collector.flush();
    expect(await h.collector.store.countEvents()).toBe(1);
    expect(h.collector.metrics().dropped.disabled).toBe(3);

    const events = await start({ collectEvents: false });
    await events.post({ batch });
    expect(
      events.collector.ingest([
        storedEvent({ type: "server", name: "x", visitorId: "v", sessionId: "s", ts: 1 }),
      ]),
    ).toBe(true);
    await events.collector.flush();
    expect(await events.collector.store.countEvents()).toBe(3);
  });
});

describe("stats API", () => {
  it("answers 401 without credentials and never leaks data", async () => {
    const h = await start({ access: { token: "t0k" } });
    await h.post(pv());
    await h.collector.flush();
    for (const path of ["/api/stats?site=example.com", "/api/sites"]) {
      const res = await fetch(`${h.base}${path}`);
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toContain("Bearer");
      const text = await res.text();
      expect(text).not.toContain("example.com");
      expect(JSON.parse(text)).toEqual({
        error: { code: "unauthorized", message: "Authentication required." },
      });
    }
  });

  it("answers 401 to everyone when no access rule is set", async () => {
    const h = await start();
    expect(
      (await fetch(`${h.base}/api/sites`, { headers: { authorization: "Bearer anything" } })).status,
    ).toBe(401);
  });

  it("serves stats and sites with a valid token", async () => {
    const h = await start({ access: { token: "t0k" } });
    await h.post({ batch: [pv("/a"), pv("/b"), pv("/a")] });
    await h.collector.flush();
    const auth = { authorization: "Bearer t0k" };
    const sites = await fetch(`${h.base}/api/sites`, { headers: auth });
    expect(await sites.json()).toEqual({ sites: ["example.com"] });
    const res = await fetch(`${h.base}/api/stats?site=example.com&tz=Europe/Paris&limit=5`, {
      headers: auth,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toContain("no-store");
    const body = (await res.json()) as {
      totals: { pageviews: number; visitors: number };
      topPages: unknown[];
    };
    expect(body.totals).toMatchObject({ pageviews: 3, visitors: 1 });
    expect(body.topPages).toEqual([
      { path: "/a", pageviews: 2, visitors: 1 },
      { path: "/b", pageviews: 1, visitors: 1 },
    ]);
  });

  it("answers goals and funnels of the createCollector options in the stats", async () => {
    const h = await start({
      access: { token: "t0k" },
      goals: { b_page: "page:/b", signup: "event:Signup" },
      funnels: { a_then_b: "page:/a, page:/b" },
    });
    await h.post({ batch: [pv("/a"), pv("/b"), pv("/a")] });
    await h.collector.flush();
    const res = await fetch(`${h.base}/api/stats?site=example.com`, {
      headers: { authorization: "Bearer t0k" },
    });
    const body = (await res.json()) as { goals: unknown[]; funnels: Array<{ steps: unknown[] }> };
    expect(body.goals).toEqual([
      { name: "b_page", match: "page:/b", visitors: 1, conversionRate: 1, previousVisitors: 0, change: null },
      {
        name: "signup",
        match: "event:Signup",
        visitors: 0,
        conversionRate: 0,
        previousVisitors: 0,
        change: null,
      },
    ]);
    expect(body.funnels).toEqual([
      {
        name: "a_then_b",
        steps: [
          { match: "page:/a", visitors: 1, stepConversion: 1, overallConversion: 1, dropOff: 0 },
          { match: "page:/b", visitors: 1, stepConversion: 1, overallConversion: 1, dropOff: 0 },
        ],
      },
    ]);
  });

  it.each([
    ["", "site"],
    ["site=x&tz=Mars/Olympus", "tz"],
    ["site=x&interval=minute", "interval"],
    ["site=x&from=2024-02-01&to=2024-01-01", "from"],
    ["site=x&from=yesterday", "from"],
    ["site=x&limit=1000", "limit"],
  ])("answers 400 invalid_query for ?%s", async (qs, path) => {
    const h = await start({ access: { token: "t0k" } });
    const res = await fetch(`${h.base}/api/stats?${qs}`, { headers: { authorization: "Bearer t0k" } });
    expect(res.status).toBe(400);
    expect(await errorBody(res)).toMatchObject({ code: "invalid_query", path });
  });
});
