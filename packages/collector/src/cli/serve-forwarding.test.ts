import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { type RecordingServer, startRecordingServer } from "../../test/recording-server.js";
import { SqliteStore } from "../store/sqlite/sqlite-store.js";
import { type CliIo, main } from "./main.js";

const dir = mkdtempSync(join(tmpdir(), "tracklet-serve-forward-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const servers: RecordingServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

const FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0";

/** Runs `tracklet-collector serve --config F`, posts one browser session to /collect, stops it. */
async function serveAndPost(config: string): Promise<{ code: number; stdout: string; statuses: number[] }> {
  let stop!: () => void;
  let listening!: (url: string) => void;
  const urlP = new Promise<string>((resolve) => {
    listening = resolve;
  });
  const out = { stdout: "", stderr: "" };
  const io: CliIo = {
    out: (t) => {
      out.stdout += t;
    },
    err: (t) => {
      out.stderr += t;
    },
    env: {},
    stopSignal: new Promise<void>((resolve) => {
      stop = resolve;
    }),
    onListening: (url) => listening(url),
  };
  const done = main(["serve", "--port", "0", "--config", config], io);
  const url = await urlP;
  const post = (body: unknown) =>
    fetch(`${url}/collect`, {
      method: "POST",
      headers: { "content-type": "text/plain", "user-agent": FIREFOX, "accept-language": "fr-FR,fr;q=0.8" },
      body: JSON.stringify(body),
    }).then((r) => r.status);
  const site = "served.test";
  const statuses = [
    await post({
      type: "pageview",
      site,
      url: "https://served.test/docs?page=2",
      title: "Docs",
      referrer: "https://duck.example/",
    }),
    await post({
      batch: [
        { type: "engagement", site, url: "https://served.test/docs?page=2", engagedMs: 1500 },
        {
          type: "event",
          site,
          url: "https://served.test/docs?page=2",
          name: "Download",
          props: { file: "a.pdf" },
        },
      ],
    }),
  ];
  stop();
  return { code: await done, stdout: out.stdout, statuses };
}

async function setUp(extra = "") {
  const ga4 = await startRecordingServer();
  const segment = await startRecordingServer();
  servers.push(ga4, segment);
  const store = join(dir, `s${Math.random().toString(36).slice(2)}.sqlite`);
  const config = join(dir, `c${Math.random().toString(36).slice(2)}.cfg`);
  writeFileSync(
    config,
    `[collector]
store = ${store}
rate_limit = off
forward = ga4, segment
ga4_measurement_id = G-SERVE1
ga4_api_secret = serve-secret
ga4_endpoint = ${ga4.url}/mp/collect
segment_write_key = serve-key
segment_endpoint = ${segment.url}/v1/batch
${extra}`,
  );
  return { ga4, segment, store, config };
}

async function countStored(path: string): Promise<number> {
  const store = new SqliteStore({ path });
  try {
    return await store.countEvents();
  } finally {
    await store.close();
  }
}

describe("tracklet-collector serve with forward = ga4, segment", () => {
  it("forwards what /collect receives to GA4 and Segment with their mappings and stores it", async () => {
    const { ga4, segment, store, config } = await setUp();
    const run = await serveAndPost(config);
    expect(run.code).toBe(0);
    expect(run.statuses).toEqual([202, 202]);
    expect(run.stdout).toContain("forwarding to ga4, segment");
    expect(await countStored(store)).toBe(3);

    const ga4Events = ga4.requests.flatMap((r) => {
      const url = new URL(r.url, ga4.url);
      expect(url.pathname).toBe("/mp/collect");
      expect(url.searchParams.get("measurement_id")).toBe("G-SERVE1");
      expect(url.searchParams.get("api_secret")).toBe("serve-secret");
      const body = JSON.parse(r.body);
      expect(body.client_id).toMatch(/^[0-9a-f]{32}$/);
      return body.events as Array<{ name: string; params: Record<string, unknown> }>;
    });
    expect(ga4Events.map((e) => e.name)).toEqual(["page_view", "user_engagement", "download"]);
    expect(ga4Events[0]?.params).toMatchObject({
      page_location: "https://served.test/docs?page=2",
      page_title: "Docs",
      page_referrer: "https://duck.example/",
      session_id: expect.any(String),
      engagement_time_msec: 1,
    });
    expect(ga4Events[1]?.params).toMatchObject({ engagement_time_msec: 1500 });
    expect(ga4Events[2]?.params).toMatchObject({ file: "a.pdf" });

    const calls = segment.requests.flatMap((r) => {
      expect(r.url).toBe("/v1/batch");
      expect(r.headers.authorization).toBe(`Basic ${Buffer.from("serve-key:").toString("base64")}`);
      return JSON.parse(r.body).batch as Array<Record<string, unknown>>;
    });
    expect(calls.map((c) => c.type)).toEqual(["page", "track", "track"]);
    expect(calls[0]).toMatchObject({
      properties: {
        url: "https://served.test/docs?page=2",
        path: "/docs",
        title: "Docs",
        referrer: "https://duck.example/",
        search: "?page=2",
      },
      anonymousId: expect.stringMatching(/^[0-9a-f]{32}$/),
      context: { userAgent: FIREFOX, locale: "fr-FR", library: { name: "tracklet" } },
    });
    expect(calls[2]).toMatchObject({ event: "Download", properties: { file: "a.pdf" } });
    for (const r of [...ga4.requests, ...segment.requests]) expect(r.body).not.toMatch(/127\.0\.0\.1|"ip"/);
  });

  it("analytics_disabled = True stops every destination", async () => {
    const { ga4, segment, store, config } = await setUp("analytics_disabled = True\n");
    const run = await serveAndPost(config);
    expect(run.code).toBe(0);
    expect(run.statuses).toEqual([204, 204]);
    expect(ga4.requests).toEqual([]);
    expect(segment.requests).toEqual([]);
    expect(await countStored(store)).toBe(0);
  });
});

describe("tracklet-collector check", () => {
  it("prints every setting with its source, masking secrets and URL passwords", async () => {
    const config = join(dir, "check.cfg");
    writeFileSync(
      config,
      "[collector]\nstore = postgres://app:db-password@db/analytics\nforward = ga4\nga4_measurement_id = G-1\nga4_api_secret = abcdefghijklmnop\n",
    );
    const out: string[] = [];
    const io: CliIo = { out: (t) => void out.push(t), err: (t) => void out.push(t), env: {} };
    expect(await main(["check", "--config", config], io)).toBe(0);
    const text = out.join("");
    expect(text).toContain(`forward               = ga4  (${config}:3)`);
    expect(text).toContain("store                 = postgres://app:***@db/analytics");
    expect(text).toContain("ga4_api_secret        = ab…(16 chars)");
    expect(text).toContain("analytics_disabled    = False  (default)");
    expect(text).toContain("rate_limit            = 20/100  (default)");
    expect(text).not.toContain("abcdefghijklmnop");
    expect(text).not.toContain("db-password");
  });

  it("exits 1 with file:line and a suggestion for a misspelt forward item", async () => {
    const config = join(dir, "bad.cfg");
    writeFileSync(config, "[collector]\nforward = segmnet\n");
    const out: string[] = [];
    const io: CliIo = { out: (t) => void out.push(t), err: (t) => void out.push(t), env: {} };
    expect(await main(["check", "--config", config], io)).toBe(1);
    expect(out.join("")).toContain(`${config}:2`);
    expect(out.join("")).toContain("did you mean segment?");
  });
});
