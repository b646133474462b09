import { afterEach, describe, expect, it } from "vitest";
import { collected } from "../../test/collected-event.js";
import { type RecordingServer, startRecordingServer } from "../../test/recording-server.js";
import { ga4Destination } from "./ga4.js";
import { ga4Name } from "./ga4-mapping.js";

let server: RecordingServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

interface Ga4Body {
  client_id: string;
  user_id?: string;
  events: Array<{ name: string; params: Record<string, unknown>; timestamp_micros: number }>;
}
const body = (s: RecordingServer, i = 0) => JSON.parse(s.requests[i]?.body ?? "") as Ga4Body;

async function ga4() {
  server = await startRecordingServer();
  return ga4Destination({
    measurementId: "G-TEST123",
    apiSecret: "s3cr&t",
    endpoint: `${server.url}/mp/collect`,
  });
}

describe("ga4Destination", () => {
  it("posts page_view to {endpoint}?measurement_id&api_secret with client_id = the visitor id", async () => {
    const destination = await ga4();
    expect(destination.accept([collected()])).toBe(true);
    await destination.close();
    const request = server?.requests[0];
    expect(request?.method).toBe("POST");
    const url = new URL(request?.url ?? "", server?.url);
    expect(url.pathname).toBe("/mp/collect");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      measurement_id: "G-TEST123",
      api_secret: "s3cr&t",
    });
    expect(request?.headers["content-type"]).toBe("application/json");
    expect(body(server as RecordingServer)).toEqual({
      client_id: "v1",
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
    expect(request?.body).not.toMatch(/Mozilla|en-US|"ip"/);
  });

  it("leaves out the referrer of a direct visit", async () => {
    const destination = await ga4();
    destination.accept([collected({ referrer: "" })]);
    await destination.close();
    expect(body(server as RecordingServer).events[0]?.params).not.toHaveProperty("page_referrer");
  });

  it("maps engagement to user_engagement with its engagement time", async () => {
    const destination = await ga4();
    destination.accept([collected({ type: "engagement", engagedMs: 4200.4 })]);
    await destination.flush();
    const event = body(server as RecordingServer).events[0];
    expect(event?.name).toBe("user_engagement");
    expect(event?.params).toMatchObject({ engagement_time_msec: 4200, session_id: "s1" });
    await destination.close();
  });

  it("maps custom events: valid name, ≤25 params, values ≤100 chars, user_id per request", async () => {
    const destination = await ga4();
    const props: Record<string, string | number | boolean> = { "Plan Type": "pro", ok: true, amount: 9.5 };
    for (let i = 0; i < 40; i++) props[`p${i}`] = "v".repeat(150);
    destination.accept([
      collected({ type: "event", name: "Outbound Link: Click", props, userId: "u-1" }),
      collected({ type: "event", name: "session_start", userId: null }),
    ]);
    await destination.flush();
    expect(server?.requests).toHaveLength(2);
    const first = body(server as RecordingServer, 0);
    expect(first.user_id).toBe("u-1");
    const event = first.events[0];
    expect(event?.name).toBe("outbound_link_click");
    expect(Object.keys(event?.params ?? {})).toHaveLength(25);
    expect(event?.params).toMatchObject({ plan_type: "pro", ok: "true", amount: 9.5, session_id: "s1" });
    expect(event?.params.p0).toBe("v".repeat(100));
    expect(body(server as RecordingServer, 1).user_id).toBeUndefined();
    expect(body(server as RecordingServer, 1).events[0]?.name).toBe("x_session_start");
    await destination.close();
  });

  it("sends at most 25 events per request and counts them", async () => {
    const destination = await ga4();
    destination.accept(Array.from({ length: 30 }, (_, i) => collected({ type: "event", name: `e${i}` })));
    await destination.flush();
    const sizes = server?.requests.map((_, i) => body(server as RecordingServer, i).events.length);
    expect(sizes).toEqual([25, 5]);
    expect(destination.metrics()).toMatchObject({ collected: 30, delivered: 30, queued: 0, failed: 0 });
    await destination.close();
  });

  it("retries a 500 and gives up on a 400 without retrying, never showing the secret", async () => {
    server = await startRecordingServer();
    const messages: string[] = [];
    const destination = ga4Destination({
      measurementId: "G-1",
      apiSecret: "very-secret",
      endpoint: server.url,
      queue: { retryBaseMs: 1 },
      onError: (message, error) => messages.push(`${message} ${String(error)}`),
    });
    server.plan({ status: 500 }, { status: 200 }, { status: 400 });
    destination.accept([collected({ visitorId: "a" })]);
    await destination.flush();
    destination.accept([collected({ visitorId: "b" })]);
    await destination.flush();
    expect(server.requests).toHaveLength(3);
    expect(destination.metrics()).toMatchObject({ delivered: 1, failed: 1, retries: 1 });
    expect(messages.join("\n")).not.toContain("very-secret");
    expect(messages.join("\n")).toContain("HTTP 400");
    await destination.close();
  });

  it("refuses missing credentials with a clear error", () => {
    expect(() => ga4Destination({ measurementId: "", apiSecret: "k" })).toThrow(/measurementId/);
    expect(() => ga4Destination({ measurementId: "G-1", apiSecret: "" })).toThrow(/apiSecret/);
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
