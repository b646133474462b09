import { afterEach, describe, expect, it } from "vitest";
import { collected } from "../../test/collected-event.js";
import { type RecordingServer, startRecordingServer } from "../../test/recording-server.js";
import { metaRouterDestination, segmentDestination } from "./segment.js";
import type { SegmentMessage } from "./segment-mapping.js";

let server: RecordingServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const batchOf = (s: RecordingServer, i = 0) =>
  JSON.parse(s.requests[i]?.body ?? "") as { batch: SegmentMessage[]; sentAt: string };

describe("segmentDestination", () => {
  it("posts page and track calls to the batch endpoint with Basic auth of the write key", async () => {
    server = await startRecordingServer();
    const destination = segmentDestination({ writeKey: "wk_123", endpoint: `${server.url}/v1/batch` });
    destination.accept([
      collected({ userId: "u-1", props: { variant: "b" } }),
      collected({ type: "event", name: "Signup", props: { plan: "pro" } }, { locale: null }),
    ]);
    await destination.close();

    const request = server.requests[0];
    expect(request?.url).toBe("/v1/batch");
    expect(request?.headers.authorization).toBe(`Basic ${Buffer.from("wk_123:").toString("base64")}`);
    expect(request?.headers["content-type"]).toBe("application/json");
    const { batch, sentAt } = batchOf(server);
    expect(new Date(sentAt).toISOString()).toBe(sentAt);
    expect(batch).toHaveLength(2);
    const page = {
      url: "https://shop.example/cart?x=1",
      path: "/cart",
      title: "Cart",
      referrer: "https://google.com/",
      search: "?x=1",
    };
    expect(batch[0]).toMatchObject({
      type: "page",
      name: "Cart",
      properties: { variant: "b", ...page },
      anonymousId: "v1",
      userId: "u-1",
      timestamp: "2024-05-01T11:59:59.000Z",
      context: {
        page,
        userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0",
        locale: "en-US",
        library: { name: "tracklet", version: expect.any(String) },
      },
    });
    expect(batch[1]).toMatchObject({ type: "track", event: "Signup", properties: { plan: "pro" } });
    expect(batch[1]?.userId).toBeUndefined();
    expect(batch[1]?.context.locale).toBeUndefined();
    expect(batch[0]?.messageId).not.toBe(batch[1]?.messageId);
    expect(request?.body).not.toMatch(/"ip"/);
  });

  it("sends engagement as an Engagement track call and server events with their name", async () => {
    server = await startRecordingServer();
    const destination = segmentDestination({ writeKey: "wk", endpoint: server.url });
    destination.accept([
      collected({ type: "engagement", engagedMs: 5000 }),
      collected({ type: "server", name: "report.exported", props: { rows: 10 } }, { userAgent: null }),
    ]);
    await destination.close();
    const { batch } = batchOf(server);
    expect(batch[0]).toMatchObject({ type: "track", event: "Engagement", properties: { engaged_ms: 5000 } });
    expect(batch[1]).toMatchObject({ type: "track", event: "report.exported", properties: { rows: 10 } });
    expect(batch[1]?.context.userAgent).toBeUndefined();
  });

  it("keeps the messageId across retries so Segment can deduplicate", async () => {
    server = await startRecordingServer();
    server.plan({ status: 500 });
    const destination = segmentDestination({
      writeKey: "wk",
      endpoint: server.url,
      queue: { retryBaseMs: 1 },
    });
    destination.accept([collected()]);
    await destination.flush();
    expect(server.requests).toHaveLength(2);
    expect(batchOf(server, 0).batch[0]?.messageId).toBe(batchOf(server, 1).batch[0]?.messageId);
    expect(destination.metrics()).toMatchObject({ delivered: 1, retries: 1 });
    await destination.close();
  });

  it("skips events over 32 KB and splits batches to stay under 500 KB", async () => {
    server = await startRecordingServer();
    const errors: string[] = [];
    const destination = segmentDestination({
      writeKey: "wk",
      endpoint: server.url,
      queue: { flushAt: 1000 },
      onError: (message) => errors.push(message),
    });
    destination.accept([collected({ props: { blob: "x".repeat(33 * 1024) } })]);
    destination.accept(
      Array.from({ length: 40 }, (_, i) => collected({ props: { i, blob: "y".repeat(30 * 1024) } })),
    );
    await destination.close();
    expect(server.requests.length).toBeGreaterThan(1);
    for (const request of server.requests)
      expect(Buffer.byteLength(request.body)).toBeLessThanOrEqual(500 * 1024);
    const sent = server.requests.flatMap((_, i) =>
      batchOf(server as RecordingServer, i).batch.map((m) => m.properties.i),
    );
    expect(sent).toEqual([...Array(40).keys()]);
    expect(destination.metrics()).toMatchObject({ delivered: 40, skipped: 1 });
    expect(errors[0]).toMatch(/over the 32768-byte limit/);
  });

  it("refuses a missing write key; MetaRouter needs its endpoint", () => {
    expect(() => segmentDestination({ writeKey: "" })).toThrow(/writeKey/);
    expect(() => metaRouterDestination({ writeKey: "wk", endpoint: "" })).toThrow(/endpoint/);
    expect(metaRouterDestination({ writeKey: "wk", endpoint: "http://127.0.0.1:9/v1/batch" }).name).toBe(
      "metarouter",
    );
  });
});
