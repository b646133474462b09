import { expect, type Page, test } from "@playwright/test";
import type { DestinationCounts } from "@tracklet/collector";
import { createApp } from "../../examples/express-app/src/app.js";
import {
  type RecordingServer,
  startRecordingServer,
} from "../../packages/collector/test/recording-server.js";
import { AS_A_PERSON, PERSON_USER_AGENT } from "../support/as-a-person.js";
import { stubThirdParties, watchPage } from "../support/page-guards.js";
import { serve } from "../support/serve.js";
import { countPageviewPosts, walkExampleSpa } from "../support/spa-walk.js";

test.use({ userAgent: PERSON_USER_AGENT, locale: "de-DE" });

const PATHS = ["/app/", "/app/projects", "/app/settings"];

/** What a vendor received for one page view, in the test's terms. */
interface ForwardedPageview {
  location: string;
  title: string;
  referrer: string | undefined;
  visitor: string;
}

/**
 * Runs the example app with `config` (and `env`), loads /app/ and follows two SPA links. Returns every URL the
 * page requested and the app's origin; `forwarded` is polled (with the collector flushed) until it has three.
 */
async function visitInFirstPartyMode(
  page: Page,
  config: string,
  env: Record<string, string>,
  forwarded: () => ForwardedPageview[],
): Promise<{
  origin: string;
  requested: string[];
  pageviews: ForwardedPageview[];
  destinations: DestinationCounts[];
}> {
  const { app, collector } = createApp({ configPath: config, env, store: ":memory:", dashboardToken: TOKEN });
  const server = await serve(app);
  try {
    const problems = await watchPage(page);
    await page.addInitScript(AS_A_PERSON);
    const requested: string[] = [];
    page.on("request", (request) => requested.push(request.url()));
    const posted = countPageviewPosts(page);
    await walkExampleSpa(page, server.url, posted);
    await expect
      .poll(async () => {
        await collector.flush();
        return forwarded().length;
      })
      .toBe(PATHS.length);
    expect(problems.pageErrors).toEqual([]);
    return {
      origin: server.url,
      requested,
      pageviews: forwarded(),
      destinations: await destinationsOf(server.url),
    };
  } finally {
    await server.close();
    await collector.close();
  }
}

const TOKEN = "first-party-e2e";

/** The stats API's destination counts for the last hours of the app's one site. */
async function destinationsOf(origin: string): Promise<DestinationCounts[]> {
  const headers = { authorization: `Bearer ${TOKEN}` };
  const { sites } = (await (await fetch(`${origin}/tracklet/api/sites`, { headers })).json()) as {
    sites: string[];
  };
  const from = new Date(Date.now() - 2 * 3_600_000).toISOString();
  const to = new Date(Date.now() + 3_600_000).toISOString();
  const query = new URLSearchParams({ site: sites[0] ?? "", from, to });
  const stats = (await (await fetch(`${origin}/tracklet/api/stats?${query}`, { headers })).json()) as {
    destinations: DestinationCounts[];
  };
  return stats.destinations;
}

/** The page asked nothing of any other host; three page views with the right page, title, referrer, visitor. */
function expectFirstPartyVisit(result: Awaited<ReturnType<typeof visitInFirstPartyMode>>): void {
  expect(result.requested.length).toBeGreaterThan(3);
  expect(result.requested.filter((url) => new URL(url).origin !== result.origin)).toEqual([]);
  const { pageviews, origin } = result;
  expect(pageviews.map((p) => p.location)).toEqual(PATHS.map((path) => `${origin}${path}`));
  expect(pageviews.map((p) => p.title)).toEqual([
    expect.stringMatching(/^(Overview|App)\b/),
    expect.stringMatching(/^Projects\b/),
    expect.stringMatching(/^Settings\b/),
  ]);
  // A direct visit has no referrer (Segment's page calls carry "", as analytics.js sends them).
  expect(pageviews.map((p) => p.referrer || undefined)).toEqual([
    undefined,
    `${origin}/app/`,
    `${origin}/app/projects`,
  ]);
  expect(new Set(pageviews.map((p) => p.visitor)).size).toBe(1);
}

/** The Destinations figures: the vendor was handed and delivered what the store wrote, nothing failed. */
function expectReconciled(destinations: DestinationCounts[], vendorName: string): void {
  const store = destinations.find((d) => d.destination === "store");
  const vendorCounts = destinations.find((d) => d.destination === vendorName);
  expect(store?.forwarded).toBeGreaterThanOrEqual(PATHS.length);
  expect(vendorCounts).toMatchObject({ collected: store?.collected, failed: 0 });
  expect(vendorCounts?.forwarded).toBeGreaterThanOrEqual(PATHS.length);
}

let vendor: RecordingServer;
test.beforeEach(async () => {
  vendor = await startRecordingServer();
});
test.afterEach(async () => {
  await vendor.close();
});

test("google_analytics first_party: no Google script, three page_view events reach GA4", async ({ page }) => {
  const events = () =>
    vendor.requests.flatMap((r) => {
      const body = JSON.parse(r.body) as {
        client_id: string;
        events: Array<{ name: string; params: Record<string, string | number> }>;
      };
      return body.events.map((event) => ({ ...event, clientId: body.client_id, url: r.url }));
    });
  const pageViews = () => events().filter((e) => e.name === "page_view");
  const result = await visitInFirstPartyMode(
    page,
    "configs/ga4-first-party.cfg",
    { GA4_API_SECRET: "e2e-secret", TRACKLET__COLLECTOR__GA4_ENDPOINT: `${vendor.url}/mp/collect` },
    () =>
      pageViews().map((e) => ({
        location: String(e.params.page_location),
        title: String(e.params.page_title),
        referrer: e.params.page_referrer === undefined ? undefined : String(e.params.page_referrer),
        visitor: e.clientId,
      })),
  );
  expectFirstPartyVisit(result);
  expectReconciled(result.destinations, "ga4");
  const url = new URL(pageViews()[0]?.url ?? "", vendor.url);
  expect(url.pathname).toBe("/mp/collect");
  expect(Object.fromEntries(url.searchParams)).toEqual({
    measurement_id: "G-EXAMPLE123",
    api_secret: "e2e-secret",
  });
  for (const view of pageViews()) {
    expect(view.params.session_id).toBe(pageViews()[0]?.params.session_id);
    expect(view.params.engagement_time_msec).toBeGreaterThan(0);
  }
});

test("segment first_party: no Segment script, three page calls reach Segment", async ({ page }) => {
  const calls = () =>
    vendor.requests.flatMap(
      (r) =>
        (
          JSON.parse(r.body) as {
            batch: Array<{ type: string; anonymousId: string; properties: Record<string, string> }>;
          }
        ).batch,
    );
  const result = await visitInFirstPartyMode(
    page,
    "configs/segment-first-party.cfg",
    { TRACKLET__COLLECTOR__SEGMENT_ENDPOINT: `${vendor.url}/v1/batch` },
    () =>
      calls()
        .filter((c) => c.type === "page")
        .map((c) => ({
          location: c.properties.url as string,
          title: c.properties.title as string,
          referrer: c.properties.referrer,
          visitor: c.anonymousId,
        })),
  );
  expectFirstPartyVisit(result);
  expectReconciled(result.destinations, "segment");
  const auth = `Basic ${Buffer.from("exampleWriteKey123:").toString("base64")}`;
  for (const r of vendor.requests) expect(r.headers.authorization).toBe(auth);
});

test("matomo first_party: no matomo.js, three pageviews reach matomo.php", async ({ page }) => {
  const requests = () =>
    vendor.requests.flatMap((r) => {
      expect(r.url).toBe("/matomo/matomo.php");
      return (JSON.parse(r.body) as { requests: string[] }).requests.map(
        (q) => new URLSearchParams(q.slice(1)),
      );
    });
  const result = await visitInFirstPartyMode(
    page,
    "configs/matomo-first-party.cfg",
    { TRACKLET__WEBSERVER__ANALYTICS_URL: `${vendor.url}/matomo/` },
    () =>
      requests()
        .filter((q) => q.has("action_name"))
        .map((q) => ({
          location: q.get("url") as string,
          title: q.get("action_name") as string,
          referrer: q.get("urlref") ?? undefined,
          visitor: q.get("_id") as string,
        })),
  );
  expectFirstPartyVisit(result);
  expectReconciled(result.destinations, "matomo");
  for (const q of requests()) {
    expect(q.get("idsite")).toBe("7");
    expect(q.get("rec")).toBe("1");
    expect(q.get("_id")).toMatch(/^[0-9a-f]{16}$/);
    expect(q.get("ua")).toBe(PERSON_USER_AGENT);
    expect(q.get("lang")).toBe("de-DE");
  }
});

test("google_analytics both: gtag as in client mode, tracklet stores the pageviews and forwards nothing", async ({
  page,
  context,
}) => {
  const { app, collector } = createApp({
    configPath: "configs/google_analytics.cfg",
    env: {
      TRACKLET__WEBSERVER__ANALYTICS_MODE: "both",
      TRACKLET__COLLECTOR__GA4_API_SECRET: "e2e-secret",
      TRACKLET__COLLECTOR__GA4_ENDPOINT: `${vendor.url}/mp/collect`,
    },
    store: ":memory:",
  });
  const server = await serve(app);
  try {
    const thirdParties = await stubThirdParties(context);
    await page.addInitScript(AS_A_PERSON);
    const posted = countPageviewPosts(page);
    const gtagPageViews = () =>
      page.evaluate(
        () =>
          (window as unknown as { dataLayer: IArguments[] }).dataLayer.filter(
            (entry) => entry[0] === "event" && entry[1] === "page_view",
          ).length,
      );
    await walkExampleSpa(page, server.url, posted);
    // The same script counts for tracklet and bridges SPA routes to gtag, as analytics_spa_pageviews asks.
    await expect.poll(gtagPageViews).toBe(2);
    expect(thirdParties.urls.some((url) => url.includes("googletagmanager.com/gtag/js"))).toBe(true);
    await expect
      .poll(async () => {
        await collector.flush();
        return collector.metrics().stored;
      })
      .toBeGreaterThanOrEqual(PATHS.length);
    expect(Object.keys(collector.metrics().destinations)).toEqual(["store"]);
    expect(vendor.requests).toEqual([]);
  } finally {
    await server.close();
    await collector.close();
  }
});
