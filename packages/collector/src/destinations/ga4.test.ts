import { afterEach, describe, expect, it } from "vitest";
import { getInstallId } from "../install-id.js";
import type { StoredEvent } from "../store/types.js";
import { MemoryStore } from "../testing/memory-store.js";
import { type RecordingServer, startRecordingServer } from "../../test/recording-server.js";
import { createTracker } from "../tracker/tracker.js";
import { createGa4Forwarder } from "./ga4.js";
import { ga4Name } from "./ga4-mapping.js";

let server: RecordingServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function stored(overrides: Partial<StoredEvent>): StoredEvent {
  return {
    site: "shop.example",
    type: "pageview",
    name: null,
    ts: Date.parse("2024-05-01T12:00:00.000Z"),
    clientTs: Date.parse("2024-05-01T11:59:59.000Z"),
    url: "https://shop.example/cart?x=1",
    path: "/cart",
    title: "Cart",
    referrer: "https://google.com/",
    referrerSource: "Google",
    utmSource: null,
    utmMedium: null,
    utmCampaign: null,
    visitorId: "v1",
    sessionId: "s1",
    userId: null,
    browser: "Chrome",
    os: "Linux",
    device: "desktop",
    engagedMs: null,
    props: null,
    ...overrides,
  };
}

interface Ga4Body {
  client_id: string;
  user_id?: string;
  events: Array<{ name: string; params: Record<string, unknown>; timestamp_micros: number }>;
}
const body = (s: RecordingServer, i = 0) => JSON.parse(s.requests[i]?.body ?? "") as Ga4Body;

describe("createGa4Forwarder", () => {
  it("posts to /mp/collect with the measurement id and secret, client_id = the install id", async () => {
    server = await startRecordingServer();
    const store = new MemoryStore();
    const forwarder = createGa4Forwarder({
      measurementId: "G-TEST123",
      apiSecret: "s3cr&t",
      clientId: () => getInstallId(store),
      endpoint: server.url,
    });
    expect(forwarder.forward(stored({}))).toBe(true);
    await forwarder.close();
    const request = server.requests[0];
    expect(request?.method).toBe("POST");
    const url = new URL(request?.url ?? "", server.url);
    expect(url.pathname).toBe("/mp/collect");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      measurement_id: "G-TEST123",
      api_secret: "s3cr&t",
    });
    expect(request?.headers["content-type"]).toBe("application/json");
    expect(body(server)).toEqual({
      client_id: await getInstallId(store),
      events: [
        {
          name: "page_view",
          params: {
            session_id: "s1",
            engagement_time_msec: 1,
            page_location: "https://shop.example/cart?x=1",
            page_title: "Cart",
            page_referrer: "https://google.com/",
          },
          timestamp_micros: Date.parse("2024-05-01T11:59:59.000Z") * 1000,
        },
      ],
    });
  });

  it("maps custom events: sanitised name, ≤25 params, values ≤100 chars, user_id per request", async () => {
    server = await startRecordingServer();
    const forwarder = createGa4Forwarder({
      measurementId: "G-1",
      apiSecret: "k",
      clientId: "install-1",
      endpoint: server.url,
    });
    const props: Record<string, string | number | boolean> = { "Plan Type": "pro", ok: true, amount: 9.5 };
    for (let i = 0; i < 40; i++) props[`p${i}`] = "v".repeat(150);
    forwarder.forward(stored({ type: "event", name: "Outbound Link: Click", props, userId: "u-1" }));
    forwarder.forward(stored({ type: "event", name: "session_start", userId: null }));
    await forwarder.flush();
    expect(server.requests).toHaveLength(2);
    const first = body(server, 0);
    expect(first.user_id).toBe("u-1");
    const event = first.events[0];
    expect(event?.name).toBe("outbound_link_click");
    expect(Object.keys(event?.params ?? {})).toHaveLength(25);
    expect(event?.params).toMatchObject({ plan_type: "pro", ok: "true", amount: 9.5, session_id: "s1" });
    expect(event?.params.p0).toBe("v".repeat(100));
    expect(body(server, 1).user_id).toBeUndefined();
    expect(body(server, 1).events[0]?.name).toBe("x_session_start");
  });

  it("sends at most 25 events per request", async () => {
    server = await startRecordingServer();
    const forwarder = createGa4Forwarder({
      measurementId: "G-1",
      apiSecret: "k",
      clientId: "c",
      endpoint: server.url,
    });
    for (let i = 0; i < 30; i++) forwarder.forward(stored({ type: "event", name: `e${i}` }));
    await forwarder.flush();
    expect(server.requests.map((_, i) => body(server as RecordingServer, i).events.length)).toEqual([25, 5]);
    expect(forwarder.stats()).toMatchObject({ sent: 30, queued: 0 });
  });

  it("plugs into the tracker as a backend for server events", async () => {
    server = await startRecordingServer();
    const forwarder = createGa4Forwarder({
      measurementId: "G-1",
      apiSecret: "k",
      clientId: "c",
      endpoint: server.url,
    });
    const tracker = createTracker({ backends: [{ backend: forwarder, match: "billing.*" }] });
    tracker.context("request", { user: "u-9", session: "sess" }, () => {
      tracker.emit("billing.invoice-paid", { amount: 12, currency: "EUR", lines: [1, 2] });
      tracker.emit("debug.noise");
    });
    await tracker.close();
    expect(body(server)).toMatchObject({
      user_id: "u-9",
      events: [
        {
          name: "billing_invoice_paid",
          params: {
            amount: 12,
            currency: "EUR",
            lines: "[1,2]",
            session_id: "sess",
            engagement_time_msec: 1,
          },
        },
      ],
    });
  });

  it("skips engagement reports and switched-off streams; forwards nothing when disabled", async () => {
    server = await startRecordingServer();
    const options = { measurementId: "G-1", apiSecret: "k", clientId: "c", endpoint: server.url };
    const filtered = createGa4Forwarder({ ...options, streams: { pageviews: false } });
    expect(filtered.forward(stored({ type: "engagement", engagedMs: 5000 }))).toBe(false);
    expect(filtered.forward(stored({}))).toBe(false);
    expect(filtered.forward(stored({ type: "event", name: "signup" }))).toBe(true);
    await filtered.close();
    expect(filtered.stats()).toMatchObject({ skipped: 2, sent: 1 });

    const disabled = createGa4Forwarder({ ...options, disabled: true });
    expect(disabled.forward(stored({}))).toBe(false);
    await disabled.close();
    expect(server.requests).toHaveLength(1);
    expect(disabled.stats()).toEqual({ queued: 0, sent: 0, failed: 0, dropped: 0, retries: 0, skipped: 0 });
  });

  it("reports invalid input instead of throwing", () => {
    const errors: unknown[] = [];
    const forwarder = createGa4Forwarder({
      measurementId: "G-1",
      apiSecret: "k",
      clientId: "c",
      onError: (e) => errors.push(e),
    });
    expect(forwarder.forward({ hello: 1 } as unknown as StoredEvent)).toBe(false);
    expect(String(errors[0])).toMatch(/neither a StoredEvent/);
    expect(forwarder.stats().dropped).toBe(1);
  });

  it("refuses missing credentials with a clear error", () => {
    expect(() => createGa4Forwarder({ measurementId: "", apiSecret: "k", clientId: "c" })).toThrow(
      /measurementId/,
    );
    expect(() => createGa4Forwarder({ measurementId: "G-1", apiSecret: "k", clientId: "" })).toThrow(
      /clientId/,
    );
  });
});

describe("ga4Name", () => {
  it("produces valid, unreserved names of at most 40 characters", () => {
    expect(ga4Name("File Download")).toBe("file_download");
    expect(ga4Name("  ")).toBe("event");
    expect(ga4Name("123go")).toBe("e_123go");
    expect(ga4Name("_private")).toBe("private");
    expect(ga4Name("ga_custom")).toBe("x_ga_custom");
    expect(ga4Name("firebase_thing")).toBe("x_firebase_thing");
    expect(ga4Name("user_engagement")).toBe("x_user_engagement");
    expect(ga4Name("Café crème")).toBe("cafe_creme");
    const long = ga4Name(`${"a".repeat(39)}_b`);
    expect(long.length).toBeLessThanOrEqual(40);
    expect(long.endsWith("_")).toBe(false);
  });
});
