import { expect, test } from "@playwright/test";
import { createApp } from "../../examples/express-app/src/app.js";
import { startRecordingServer } from "../../packages/collector/test/recording-server.js";
import { AS_A_PERSON, PERSON_USER_AGENT } from "../support/as-a-person.js";
import { stubThirdParties, watchPage } from "../support/page-guards.js";
import { serve } from "../support/serve.js";
import { countPageviewPosts, walkExampleSpa } from "../support/spa-walk.js";

test.use({ userAgent: PERSON_USER_AGENT, locale: "de-DE" });

interface Ga4Event {
  name: string;
  params: Record<string, string | number>;
}
interface SegmentCall {
  type: string;
  anonymousId: string;
  properties: Record<string, string>;
  context: { userAgent: string; locale: string; page: Record<string, string> };
}

test("page → SDK → collector → GA4 and Segment: an SPA session's pageviews are forwarded", async ({
  page,
  context,
}) => {
  const ga4 = await startRecordingServer();
  const segment = await startRecordingServer();
  const { app, collector } = createApp({
    env: {
      TRACKLET__COLLECTOR__FORWARD: "ga4, segment",
      TRACKLET__COLLECTOR__GA4_MEASUREMENT_ID: "G-E2E",
      TRACKLET__COLLECTOR__GA4_API_SECRET: "e2e-secret",
      TRACKLET__COLLECTOR__GA4_ENDPOINT: `${ga4.url}/mp/collect`,
      TRACKLET__COLLECTOR__SEGMENT_WRITE_KEY: "e2e-key",
      TRACKLET__COLLECTOR__SEGMENT_ENDPOINT: `${segment.url}/v1/batch`,
    },
    store: ":memory:",
  });
  const server = await serve(app);
  try {
    await stubThirdParties(context);
    const problems = await watchPage(page);
    await page.addInitScript(AS_A_PERSON);
    const posted = countPageviewPosts(page);
    await walkExampleSpa(page, server.url, posted);
    await page.goBack();
    await expect.poll(posted).toBe(4);
    const paths = ["/app/", "/app/projects", "/app/settings", "/app/projects"];
    // The last beacon may still be on its way: flush until every pageview has been forwarded.
    const forwardedPageviews = async () => {
      await collector.flush();
      const ga4PageViews = ga4.requests.filter((r) => r.body.includes('"page_view"')).length;
      const segmentPages = segment.requests.map((r) => r.body.split('"type":"page"').length - 1);
      return [ga4PageViews > 0, segmentPages.reduce((a, b) => a + b, 0)];
    };
    await expect.poll(forwardedPageviews).toEqual([true, paths.length]);
    const ga4Events = ga4.requests.flatMap((r) => {
      const url = new URL(r.url, ga4.url);
      expect(url.pathname).toBe("/mp/collect");
      expect(url.searchParams.get("measurement_id")).toBe("G-E2E");
      return (JSON.parse(r.body) as { events: Ga4Event[] }).events;
    });
    const pageViews = ga4Events.filter((e) => e.name === "page_view");
    expect(pageViews.map((e) => new URL(String(e.params.page_location)).pathname)).toEqual(paths);
    expect(String(pageViews[1]?.params.page_title)).toMatch(/^Projects/);
    expect(new URL(String(pageViews[2]?.params.page_referrer)).pathname).toBe("/app/projects");
    // One GA4 session for the whole visit.
    expect(new Set(pageViews.map((e) => e.params.session_id)).size).toBe(1);

    const calls = segment.requests.flatMap((r) => {
      expect(r.headers.authorization).toBe(`Basic ${Buffer.from("e2e-key:").toString("base64")}`);
      return (JSON.parse(r.body) as { batch: SegmentCall[] }).batch;
    });
    const pages = calls.filter((c) => c.type === "page");
    expect(pages.map((c) => c.properties.path)).toEqual(paths);
    expect(pages[1]?.properties.title).toMatch(/^Projects/);
    expect(new Set(pages.map((c) => c.anonymousId)).size).toBe(1);
    expect(pages[0]?.context).toMatchObject({ userAgent: PERSON_USER_AGENT, locale: "de-DE" });
    for (const r of [...ga4.requests, ...segment.requests]) expect(r.body).not.toContain('127.0.0.1"');
    expect(problems.pageErrors).toEqual([]);
  } finally {
    await server.close();
    await collector.close();
    await ga4.close();
    await segment.close();
  }
});
