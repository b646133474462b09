import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import express from "express";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { type RecordingServer, startRecordingServer } from "../test/recording-server.js";
import { type Collector, createCollector } from "./collector.js";
import { SqliteStore } from "./store/sqlite/sqlite-store.js";

const CHROME =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
const dir = mkdtempSync(join(tmpdir(), "tracklet-first-party-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});

/** A collector whose config names Segment in `[webserver]` with `mode`, and a pageview posted to it. */
async function collectOnePageview(
  mode: string,
): Promise<{ collector: Collector; store: SqliteStore; segment: RecordingServer; base: string }> {
  const segment = await startRecordingServer();
  cleanup.push(() => segment.close());
  const config = join(dir, `${mode}.cfg`);
  writeFileSync(
    config,
    `[webserver]
analytics_tool = segment
analytics_id = seg-key
analytics_mode = ${mode}
[collector]
segment_endpoint = ${segment.url}/v1/batch
`,
  );
  const store = new SqliteStore({ path: ":memory:" });
  const collector = createCollector({
    store,
    configFile: config,
    env: {},
    rateLimit: false,
    onError: () => {},
    access: { token: "t0ken" },
  });
  cleanup.push(() => store.close());
  cleanup.push(() => collector.close());
  const server = await new Promise<Server>((resolve) => {
    const app = express().use(collector.router);
    const s = createServer(collector.requestListener(app));
    s.listen(0, "127.0.0.1", () => resolve(s));
  });
  cleanup.push(() => new Promise((resolve) => server.close(resolve)));
  await collector.ready;
  const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/collect`, {
    method: "POST",
    headers: { "content-type": "text/plain", "user-agent": CHROME },
    body: JSON.stringify({
      type: "pageview",
      site: "shop.example",
      url: "https://shop.example/a",
      title: "A",
    }),
  });
  expect(res.status).toBe(202);
  await collector.flush();
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { collector, store, segment, base };
}

describe("createCollector with [webserver] analytics_mode", () => {
  it("first_party stores the pageview and forwards it to the vendor with analytics_id", async () => {
    const { store, segment, collector } = await collectOnePageview("first_party");
    expect(await store.countEvents()).toBe(1);
    expect(segment.requests).toHaveLength(1);
    expect(segment.requests[0]?.headers.authorization).toBe(
      `Basic ${Buffer.from("seg-key:").toString("base64")}`,
    );
    expect(segment.requests[0]?.body).toContain('"type":"page"');
    expect(Object.keys(collector.metrics().destinations)).toEqual(["store", "segment"]);
  });

  it("both stores the pageview and forwards nothing (the vendor's own script counts it)", async () => {
    const { store, segment, collector } = await collectOnePageview("both");
    expect(await store.countEvents()).toBe(1);
    expect(segment.requests).toHaveLength(0);
    expect(Object.keys(collector.metrics().destinations)).toEqual(["store"]);
  });

  it("reports what each destination did in the stats API", async () => {
    const { base } = await collectOnePageview("first_party");
    const from = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000).toISOString();
    const to = new Date(Date.now() + 3_600_000).toISOString();
    const res = await fetch(`${base}/api/stats?site=shop.example&from=${from}&to=${to}`, {
      headers: { authorization: "Bearer t0ken" },
    });
    expect([res.status, res.status === 200 ? "" : await res.text()]).toEqual([200, ""]);
    const { destinations } = (await res.json()) as { destinations: unknown };
    expect(destinations).toEqual([
      { destination: "segment", collected: 1, forwarded: 1, failed: 0, dropped: 0 },
      { destination: "store", collected: 1, forwarded: 1, failed: 0, dropped: 0 },
    ]);
  });
});
