import { afterEach, describe, expect, it } from "vitest";
import { collected } from "../../test/collected-event.js";
import { type RecordingServer, startRecordingServer } from "../../test/recording-server.js";
import { matomoDestination, matomoTrackingUrl } from "./matomo.js";
import { matomoVisitorId } from "./matomo-mapping.js";

let server: RecordingServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const VISITOR = "0123456789abcdef0123456789abcdef";
const requestsOf = (s: RecordingServer, i = 0) =>
  (JSON.parse(s.requests[i]?.body ?? "") as { requests: string[] }).requests.map((q) =>
    Object.fromEntries(new URLSearchParams(q.slice(1))),
  );

describe("matomoDestination", () => {
  it("posts bulk tracking requests to matomo.php: a pageview with url, action_name, urlref, _id, ua, lang", async () => {
    server = await startRecordingServer();
    const destination = matomoDestination({ url: `${server.url}/analytics`, siteId: "7" });
    destination.accept([collected({ visitorId: VISITOR, userId: "ada" })]);
    await destination.close();
    expect(server.requests[0]?.url).toBe("/analytics/matomo.php");
    expect(requestsOf(server)).toEqual([
      {
        idsite: "7",
        rec: "1",
        apiv: "1",
        send_image: "0",
        url: "https://shop.example/cart?x=1",
        urlref: "https://google.com/",
        _id: "0123456789abcdef",
        uid: "ada",
        ua: "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0",
        lang: "en-US",
        cdt: String(Date.parse("2024-05-01T11:59:59.000Z") / 1000),
        action_name: "Cart",
      },
    ]);
    expect(server.requests[0]?.body).not.toMatch(/cip|127\.0\.0\.1/);
  });

  it("maps events, clicks and engagement", async () => {
    server = await startRecordingServer();
    const destination = matomoDestination({ url: server.url, siteId: "7" });
    destination.accept([
      collected({ type: "event", name: "Signup", props: { label: "pro", value: 3 } }),
      collected({ type: "event", name: "Outbound Link: Click", props: { url: "https://other.example/" } }),
      collected({ type: "event", name: "File Download", props: { url: "https://shop.example/a.pdf" } }),
      collected({ type: "engagement", engagedMs: 5000 }),
      collected({ type: "server", name: "Export" }),
    ]);
    await destination.close();
    const [signup, outbound, download, engagement, server_] = requestsOf(server);
    expect(signup).toMatchObject({ e_c: "event", e_a: "Signup", e_n: "pro", e_v: "3" });
    expect(outbound).toMatchObject({ link: "https://other.example/" });
    expect(download).toMatchObject({ download: "https://shop.example/a.pdf" });
    expect(engagement).toMatchObject({ ping: "1" });
    expect(server_).toMatchObject({ e_c: "server", e_a: "Export" });
    expect(outbound).not.toHaveProperty("e_c");
  });

  it("gives Matomo a 16-hex visitor id whatever the id looks like", () => {
    expect(matomoVisitorId(VISITOR)).toBe("0123456789abcdef");
    expect(matomoVisitorId("v1")).toMatch(/^[0-9a-f]{16}$/);
    expect(matomoTrackingUrl("https://m.example.com/sub/")).toBe("https://m.example.com/sub/matomo.php");
  });

  it("refuses a site id that is not a number", () => {
    expect(() => matomoDestination({ url: "https://m.example.com/", siteId: "abc" })).toThrow(/site id/);
  });
});
