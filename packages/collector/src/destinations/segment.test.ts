import { afterEach, describe, expect, it } from "vitest";
import type { StoredEvent } from "../store/types.js";
import { type RecordingServer, startRecordingServer } from "../../test/recording-server.js";
import { createTracker } from "../tracker/tracker.js";
import { createSegmentForwarder, type SegmentMessage } from "./segment.js";

let server: RecordingServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const pageview: StoredEvent = {
  site: "shop.example",
  type: "pageview",
  name: null,
  ts: Date.parse("2024-05-01T12:00:00.000Z"),
  clientTs: null,
  url: "https://shop.example/cart",
  path: "/cart",
  title: "Cart",
  referrer: null,
  referrerSource: null,
  utmSource: null,
  utmMedium: null,
  utmCampaign: null,
  visitorId: "visitor-hash",
  sessionId: "s1",
  userId: "u-1",
  browser: null,
  os: null,
  device: null,
  engagedMs: null,
  props: { variant: "b" },
};

const batchOf = (s: RecordingServer, i = 0) =>
  JSON.parse(s.requests[i]?.body ?? "") as { batch: SegmentMessage[]; sentAt: string };

describe("createSegmentForwarder", () => {
  it("posts page and track messages to /v1/batch with Basic auth of the write key", async () => {
    server = await startRecordingServer();
    const forwarder = createSegmentForwarder({
      writeKey: "wk_123",
      anonymousId: "install-1",
      host: server.url,
    });
    forwarder.forward(pageview);
    forwarder.forward({ ...pageview, type: "event", name: "Signup", props: { plan: "pro" }, userId: null });
    await forwarder.close();

    const request = server.requests[0];
    expect(request?.url).toBe("/v1/batch");
    expect(request?.headers.authorization).toBe(`Basic ${Buffer.from("wk_123:").toString("base64")}`);
    expect(request?.headers["content-type"]).toBe("application/json");
    const { batch, sentAt } = batchOf(server);
    expect(new Date(sentAt).toISOString()).toBe(sentAt);
    expect(batch).toHaveLength(2);
    expect(batch[0]).toMatchObject({
      type: "page",
      name: "Cart",
      properties: { variant: "b", url: "https://shop.example/cart", path: "/cart", title: "Cart" },
      anonymousId: "visitor-hash",
      userId: "u-1",
      timestamp: "2024-05-01T12:00:00.000Z",
    });
    expect(batch[1]).toMatchObject({ type: "track", event: "Signup", properties: { plan: "pro" } });
    expect(batch[1]?.userId).toBeUndefined();
    expect(batch[0]?.messageId).not.toBe(batch[1]?.messageId);
  });

  it("uses the install id as anonymousId for server events from the tracker", async () => {
    server = await startRecordingServer();
    const forwarder = createSegmentForwarder({
      writeKey: "wk",
      anonymousId: async () => "install-uuid",
      host: server.url,
    });
    const tracker = createTracker({ backends: [forwarder] });
    tracker.context("request", { user: "u-2" }, () =>
      tracker.emit("report.exported", { rows: 10, meta: { a: 1 } }),
    );
    await tracker.close();
    expect(batchOf(server).batch[0]).toMatchObject({
      type: "track",
      event: "report.exported",
      properties: { rows: 10, meta: { a: 1 } },
      anonymousId: "install-uuid",
      userId: "u-2",
    });
  });

  it("keeps the messageId across retries so Segment can deduplicate", async () => {
    server = await startRecordingServer();
    server.plan({ status: 500 });
    const forwarder = createSegmentForwarder({
      writeKey: "wk",
      anonymousId: "a",
      host: server.url,
      sleep: async () => {},
    });
    forwarder.forward(pageview);
    await forwarder.flush();
    expect(server.requests).toHaveLength(2);
    expect(batchOf(server, 0).batch[0]?.messageId).toBe(batchOf(server, 1).batch[0]?.messageId);
    expect(forwarder.stats()).toMatchObject({ sent: 1, retries: 1 });
  });

  it("drops events over 32 KB and splits batches to stay under 500 KB", async () => {
    server = await startRecordingServer();
    const errors: unknown[] = [];
    const forwarder = createSegmentForwarder({
      writeKey: "wk",
      anonymousId: "a",
      host: server.url,
      flushAt: 1_000,
      onError: (e) => errors.push(e),
    });
    expect(forwarder.forward({ ...pageview, props: { blob: "x".repeat(33 * 1024) } })).toBe(false);
    for (let i = 0; i < 40; i++)
      forwarder.forward({ ...pageview, props: { i, blob: "y".repeat(30 * 1024) } });
    await forwarder.close();
    expect(server.requests.length).toBeGreaterThan(1);
    for (const request of server.requests)
      expect(Buffer.byteLength(request.body)).toBeLessThanOrEqual(500 * 1024);
    const sent = server.requests.flatMap((_, i) =>
      batchOf(server as RecordingServer, i).batch.map((m) => m.properties.i),
    );
    expect(sent).toEqual([...Array(40).keys()]);
    expect(forwarder.stats()).toMatchObject({ sent: 40, dropped: 1 });
    expect(String(errors[0])).toMatch(/exceeds the 32768-byte limit/);
  });

  it("refuses a missing write key with a clear error", () => {
    expect(() => createSegmentForwarder({ writeKey: "", anonymousId: "a" })).toThrow(/writeKey/);
  });
});
