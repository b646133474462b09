import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type Collector, createCollector } from "./collector.js";
import type { CollectorOptions } from "./collector-options.js";
import type { StatsResult } from "./stats/types.js";
import { SqliteStore } from "./store/sqlite/sqlite-store.js";

const CHROME =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
const TOKEN = "coverage-s3cret";
const STATS_TOKEN = "stats-token";
const HOUR = 3_600_000;
const NOW = Date.parse("2026-06-15T10:20:00Z");
const THIS_HOUR = Date.parse("2026-06-15T10:00:00Z");

const open: Array<{ server: Server; collector: Collector }> = [];
afterEach(async () => {
  for (const { server, collector } of open.splice(0)) {
    await new Promise((r) => server.close(r));
    await collector.close();
  }
});

async function start(options: CollectorOptions = {}) {
  const onError = vi.fn();
  const collector = createCollector({
    store: new SqliteStore({ path: ":memory:", now: () => NOW }),
    env: {},
    access: { token: STATS_TOKEN },
    coverageToken: TOKEN,
    rateLimit: false,
    now: () => NOW,
    onError,
    ...options,
  });
  const app = express();
  app.use("/t", collector.router);
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  open.push({ server, collector });
  await collector.ready;
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/t`;
  const postDocuments = (body: unknown, token: string | undefined = TOKEN) =>
    fetch(`${base}/documents`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
  const pageview = (path: string, first: boolean | undefined) =>
    fetch(`${base}/collect`, {
      method: "POST",
      headers: { "content-type": "text/plain", "user-agent": CHROME },
      body: JSON.stringify({
        type: "pageview",
        site: "shop.example",
        url: `https://shop.example${path}`,
        ...(first === undefined ? {} : { first }),
      }),
    });
  const stats = async (): Promise<StatsResult> => {
    await collector.flush();
    const from = new Date(THIS_HOUR - 24 * HOUR).toISOString();
    const to = new Date(THIS_HOUR + HOUR).toISOString();
    const res = await fetch(`${base}/api/stats?site=shop.example&from=${from}&to=${to}`, {
      headers: { authorization: `Bearer ${STATS_TOKEN}` },
    });
    expect(res.status).toBe(200);
    return (await res.json()) as StatsResult;
  };
  return { collector, base, postDocuments, pageview, stats, onError };
}

const counts = (path: string, count: number, hour = THIS_HOUR) => ({
  site: "shop.example",
  path,
  hour,
  count,
});

describe("Coverage: pages served against first pageviews", () => {
  it("sets the injector's posted counts against the first pageviews stored, per page", async () => {
    const h = await start();
    expect((await h.postDocuments({ documents: [counts("/", 4), counts("/pricing", 2)] })).status).toBe(204);
    expect((await h.postDocuments({ documents: [counts("/", 1)] })).status).toBe(204);
    for (const [path, first] of [
      ["/", true],
      ["/?utm_source=x", true],
      ["/#/settings", true],
      ["/", undefined],
      ["/", false],
      ["/pricing", true],
    ] as const) {
      expect((await h.pageview(path, first)).status).toBe(202);
    }
    const { coverage } = await h.stats();
    expect(coverage).toEqual({
      served: 7,
      reported: 4,
      share: 4 / 7,
      pages: [
        { path: "/", served: 5, reported: 3 },
        { path: "/pricing", served: 2, reported: 1 },
      ],
    });
  });

  it("takes the counts in process through recordDocuments, leaving out bad ones", async () => {
    const h = await start();
    h.collector.recordDocuments([counts("/", 2), { ...counts("no-slash", 1) }, counts("/a", 1)]);
    expect(h.onError).toHaveBeenCalledWith("a page count was left out", expect.any(Error));
    await h.pageview("/", true);
    expect((await h.stats()).coverage).toMatchObject({ served: 3, reported: 1 });
  });

  it("has no Coverage figure while no page was counted", async () => {
    const h = await start();
    await h.pageview("/", true);
    expect((await h.stats()).coverage).toBeUndefined();
  });

  it("refuses page counts without the token, or when the collector has none", async () => {
    const h = await start();
    for (const token of ["", "wrong"]) {
      const res = await h.postDocuments({ documents: [counts("/", 1)] }, token);
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
    }
    const none = await start({ coverageToken: undefined });
    const res = await none.postDocuments({ documents: [counts("/", 1)] });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/coverage_token/);
    expect((await h.stats()).coverage).toBeUndefined();
  });

  it("refuses a bad body naming the field, and takes nothing of it", async () => {
    const h = await start();
    const cases: Array<[unknown, string | undefined]> = [
      ["{", undefined],
      [[], undefined],
      [{ documents: "x" }, "documents"],
      [{ documents: [counts("/", 1), { ...counts("/", 1), hour: THIS_HOUR + 1 }] }, "documents[1].hour"],
      [{ documents: [{ ...counts("/", -1) }] }, "documents[0].count"],
      [{ documents: [{ ...counts("/", 1), site: "" }] }, "documents[0].site"],
    ];
    for (const [body, path] of cases) {
      const res = await h.postDocuments(body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { path?: string } }).error.path).toBe(path);
    }
    expect((await h.stats()).coverage).toBeUndefined();
  });

  it("refuses a non-boolean first on a pageview", async () => {
    const h = await start();
    const res = await fetch(`${h.base}/collect`, {
      method: "POST",
      headers: { "content-type": "text/plain", "user-agent": CHROME },
      body: JSON.stringify({
        type: "pageview",
        site: "shop.example",
        url: "https://shop.example/",
        first: "yes",
      }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { path?: string } }).error.path).toBe("first");
  });
});
