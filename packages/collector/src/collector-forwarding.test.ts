import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "@tracklet/config";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { MemoryStore } from "../test/memory-store.js";
import { type RecordingServer, startRecordingServer } from "../test/recording-server.js";
import { actionLog } from "./action-log/action-log.js";
import { type Collector, createCollector } from "./collector.js";
import type { CollectorOptions } from "./collector-options.js";
import { consoleDestination } from "./destinations/console.js";
import { jsonLinesDestination } from "./destinations/json-lines.js";
import type { StoredEventType } from "./store/types.js";
import { createTracker } from "./tracker/tracker.js";

const CHROME =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
const dir = mkdtempSync(join(tmpdir(), "tracklet-forwarding-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Rig {
  collector: Collector;
  store: MemoryStore;
  ga4: RecordingServer;
  segment: RecordingServer;
  metarouter: RecordingServer;
  jsonLinesPath: string;
  consoleLines: string[];
  server: Server;
  post(body: unknown): Promise<Response>;
}
const rigs: Rig[] = [];
afterEach(async () => {
  for (const rig of rigs.splice(0)) {
    await new Promise((resolve) => rig.server.close(resolve));
    await rig.collector.close();
    await Promise.all([rig.ga4.close(), rig.segment.close(), rig.metarouter.close()]);
  }
});

let count = 0;
/** A collector forwarding to all three services (from its config file) and two destinations built in code. */
async function rig(options: CollectorOptions = {}, extraConfig = ""): Promise<Rig> {
  const [ga4, segment, metarouter] = await Promise.all([
    startRecordingServer(),
    startRecordingServer(),
    startRecordingServer(),
  ]);
  const config = join(dir, `c${count}.cfg`);
  writeFileSync(
    config,
    `[collector]
forward = ga4, segment, metarouter
ga4_measurement_id = G-TEST
ga4_api_secret = ga4-secret-value
ga4_endpoint = ${ga4.url}/mp/collect
segment_write_key = seg-key
segment_endpoint = ${segment.url}/v1/batch
metarouter_write_key = mr-key
metarouter_endpoint = ${metarouter.url}/v1/batch
${extraConfig}`,
  );
  const jsonLinesPath = join(dir, `events${count++}.jsonl`);
  const consoleLines: string[] = [];
  const store = new MemoryStore();
  const collector = createCollector({
    store,
    configFile: config,
    env: {},
    onError: () => {},
    rateLimit: false,
    destinations: [
      jsonLinesDestination({ path: jsonLinesPath }),
      consoleDestination({ format: "json", stream: { write: (s: string) => consoleLines.push(s) } }),
    ],
    ...options,
  });
  const server = await new Promise<Server>((resolve) => {
    const s = createServer(collector.requestListener((_req, res) => res.writeHead(404).end()));
    s.listen(0, "127.0.0.1", () => resolve(s));
  });
  await collector.ready;
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/collect`;
  const post = (body: unknown) =>
    fetch(url, {
      method: "POST",
      headers: { "content-type": "text/plain", "user-agent": CHROME, "accept-language": "de-CH,de;q=0.9" },
      body: JSON.stringify(body),
    });
  const r = { collector, store, ga4, segment, metarouter, jsonLinesPath, consoleLines, server, post };
  rigs.push(r);
  return r;
}

const page = (path: string) => ({
  type: "pageview",
  site: "shop.example",
  url: `https://shop.example${path}`,
  title: `T ${path}`,
});

/** One event of each kind: a pageview, engagement and custom event over /collect, a tracker event, an action. */
async function sendOneOfEach(r: Rig): Promise<void> {
  const res = await r.post({
    batch: [
      page("/a?q=shoes"),
      { type: "engagement", site: "shop.example", url: "https://shop.example/a", engagedMs: 3000 },
      {
        type: "event",
        site: "shop.example",
        url: "https://shop.example/a",
        name: "Signup",
        props: { plan: "pro" },
      },
    ],
  });
  expect(res.status).toBe(r.collector.settings.analyticsDisabled ? 204 : 202);
  const tracker = createTracker({ collector: r.collector, site: "shop.example" });
  tracker.context("request", { user: "u-7", path: "/admin" }, () =>
    tracker.emit("report.exported", { rows: 3 }),
  );
  actionLog(
    function updateTable() {
      return 1;
    },
    { tracker },
  )();
  await r.collector.flush();
}

const ga4Types: Record<string, StoredEventType> = {
  page_view: "pageview",
  user_engagement: "engagement",
  signup: "event",
  report_exported: "server",
  updatetable: "server",
};
const segmentType = (m: { type: string; event?: string }): StoredEventType =>
  m.type === "page"
    ? "pageview"
    : m.event === "Engagement"
      ? "engagement"
      : m.event === "Signup"
        ? "event"
        : "server";

/** The kinds of events each destination received, sorted. */
function received(r: Rig): Record<string, StoredEventType[]> {
  const bodies = (s: RecordingServer) => s.requests.map((q) => JSON.parse(q.body));
  const sorted = (types: StoredEventType[]) => [...types].sort();
  const rowsOf = (lines: string) =>
    lines
      .split("\n")
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { type: StoredEventType }).type);
  let jsonLines = "";
  try {
    jsonLines = readFileSync(r.jsonLinesPath, "utf8");
  } catch {}
  return {
    store: sorted(r.store.events.map((e) => e.type)),
    ga4: sorted(
      bodies(r.ga4).flatMap((b) => b.events.map((e: { name: string }) => ga4Types[e.name] ?? e.name)),
    ),
    segment: sorted(bodies(r.segment).flatMap((b) => b.batch.map(segmentType))),
    metarouter: sorted(bodies(r.metarouter).flatMap((b) => b.batch.map(segmentType))),
    "json-lines": sorted(rowsOf(jsonLines)),
    console: sorted(rowsOf(r.consoleLines.join(""))),
  };
}

describe("forwarding", () => {
  it("sends every kind of event to every destination, with the services' mappings, and stores it", async () => {
    const r = await rig();
    await sendOneOfEach(r);
    const all: StoredEventType[] = ["engagement", "event", "pageview", "server", "server"];
    for (const [name, types] of Object.entries(received(r))) expect([name, types]).toEqual([name, all]);

    const ga4 = JSON.parse(r.ga4.requests[0]?.body ?? "");
    expect(new URL(r.ga4.requests[0]?.url ?? "", r.ga4.url).searchParams.get("api_secret")).toBe(
      "ga4-secret-value",
    );
    const pageview = ga4.events.find((e: { name: string }) => e.name === "page_view");
    expect(pageview.params).toMatchObject({
      page_location: "https://shop.example/a?q=shoes",
      page_title: "T /a?q=shoes",
      engagement_time_msec: 1,
      session_id: expect.any(String),
    });
    expect(ga4.client_id).toBe(r.store.events.find((e) => e.type === "pageview")?.visitorId);

    const segment = JSON.parse(r.segment.requests[0]?.body ?? "");
    const pageCall = segment.batch.find((m: { type: string }) => m.type === "page");
    expect(pageCall).toMatchObject({
      properties: {
        url: "https://shop.example/a?q=shoes",
        path: "/a",
        title: "T /a?q=shoes",
        search: "?q=shoes",
      },
      context: { userAgent: CHROME, locale: "de-CH", library: { name: "tracklet" } },
    });
    const serverCall = segment.batch.find((m: { event?: string }) => m.event === "report.exported");
    expect(serverCall).toMatchObject({ userId: "u-7", properties: { rows: 3 } });
    expect(r.segment.requests[0]?.headers.authorization).toBe(
      `Basic ${Buffer.from("seg-key:").toString("base64")}`,
    );
    expect(r.metarouter.requests[0]?.headers.authorization).toBe(
      `Basic ${Buffer.from("mr-key:").toString("base64")}`,
    );
    for (const s of [r.ga4, r.segment, r.metarouter]) {
      for (const q of s.requests) expect(q.body).not.toMatch(/127\.0\.0\.1|"ip"/);
    }

    const m = r.collector.metrics();
    expect(m.stored).toBe(5);
    for (const name of ["store", "ga4", "segment", "metarouter", "json-lines", "console"]) {
      expect(m.destinations[name]).toMatchObject({
        collected: 5,
        delivered: 5,
        failed: 0,
        dropped: 0,
        queued: 0,
      });
    }
  });

  const none: StoredEventType[] = [];
  const cases: Array<[string, Partial<CollectorOptions>, StoredEventType[]]> = [
    ["analytics_disabled", { analyticsDisabled: true }, none],
    ["collect_pageviews = False", { collectPageviews: false }, ["event", "server", "server"]],
    ["collect_events = False", { collectEvents: false }, ["engagement", "pageview", "server", "server"]],
    ["collect_server_events = False", { collectServerEvents: false }, ["engagement", "event", "pageview"]],
  ];
  for (const [name, switches, expected] of cases) {
    it(`${name} holds for every destination, the tracker and the action log`, async () => {
      const r = await rig(switches);
      await sendOneOfEach(r);
      const got = received(r);
      expect(Object.keys(got)).toHaveLength(6);
      for (const [destination, types] of Object.entries(got))
        expect([destination, types]).toEqual([destination, expected]);
    });
  }

  it("analytics_disabled in the config file stops every destination", async () => {
    const r = await rig({}, "analytics_disabled = True\n");
    await sendOneOfEach(r);
    for (const [destination, types] of Object.entries(received(r)))
      expect([destination, types]).toEqual([destination, []]);
  });

  it("processors change and drop events before every destination", async () => {
    const r = await rig({
      processors: [
        (e) => (e.row.type === "engagement" ? null : undefined),
        (e) => ({ ...e, row: { ...e.row, url: e.row.url?.replace(/\?.*$/, "") ?? null } }),
      ],
    });
    await sendOneOfEach(r);
    expect(received(r).segment).toEqual(["event", "pageview", "server", "server"]);
    expect(received(r).store).toEqual(["event", "pageview", "server", "server"]);
    expect(r.store.events.find((e) => e.type === "pageview")?.url).toBe("https://shop.example/a");
    expect(r.collector.metrics().dropped.processor).toBe(1);
  });
});

describe("forwarding settings", () => {
  const file = (text: string) => {
    const path = join(dir, `s${count++}.cfg`);
    writeFileSync(path, `[collector]\n${text}`);
    return path;
  };
  const problems = (fn: () => unknown): string => {
    try {
      fn();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      return (err as Error).message;
    }
    throw new Error("expected a ConfigError");
  };

  it("names the missing options of a forwarded service at the forward line", () => {
    const path = file(
      "store = :memory:\nforward = ga4, metarouter\nga4_measurement_id = G-1\nmetarouter_write_key = k\n",
    );
    const message = problems(() => createCollector({ configFile: path, env: {} }));
    expect(message).toContain(`${path}:3`);
    expect(message).toContain("ga4_api_secret");
    expect(message).toContain("metarouter_endpoint");
  });

  it("suggests the closest service for a misspelt forward item", () => {
    const path = file("forward = ga4, segmnet\n");
    const message = problems(() => createCollector({ configFile: path, env: {} }));
    expect(message).toContain(`${path}:2`);
    expect(message).toMatch(/"segmnet" \(did you mean segment\?\)/);
  });

  it("checks endpoints and never shows a secret in an error", () => {
    const path = file(
      "forward = segment\nsegment_write_key = wk-very-secret-123\nsegment_endpoint = ftp://x\n",
    );
    const message = problems(() => createCollector({ configFile: path, env: {} }));
    expect(message).toContain(`${path}:4`);
    expect(message).toContain("segment_endpoint must be an http(s) URL");
    expect(message).not.toContain("wk-very-secret-123");
  });

  it("takes every forwarding option from TRACKLET__COLLECTOR__* as well", () => {
    const collector = createCollector({
      store: new MemoryStore(),
      env: {
        TRACKLET__COLLECTOR__FORWARD: "segment",
        TRACKLET__COLLECTOR__SEGMENT_WRITE_KEY: "from-env",
        TRACKLET__COLLECTOR__SEGMENT_ENDPOINT: "http://127.0.0.1:9/v1/batch",
      },
    });
    expect(collector.settings).toMatchObject({
      forward: ["segment"],
      segmentWriteKey: "from-env",
      segmentEndpoint: "http://127.0.0.1:9/v1/batch",
    });
    expect(collector.settings.sources.forward).toBe("TRACKLET__COLLECTOR__FORWARD");
    expect(Object.keys(collector.metrics().destinations)).toEqual(["store", "segment"]);
    return collector.close();
  });
});
