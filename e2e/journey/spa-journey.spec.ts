import { expect, test } from "@playwright/test";
import { createApp } from "../../examples/express-app/src/app.js";
import { AS_A_PERSON, PERSON_USER_AGENT } from "../support/as-a-person.js";
import { startExampleServer } from "../support/example-server.js";
import { stubThirdParties, watchPage } from "../support/page-guards.js";
import { serve } from "../support/serve.js";

const TOKEN = "journey-token";

test.use({ userAgent: PERSON_USER_AGENT });

test("page → SDK → collector → store → /api/stats: an SPA session's pageviews are counted", async ({
  page,
  context,
}) => {
  const server = await startExampleServer("journey", { dashboardToken: TOKEN });
  const { collector } = server;
  try {
    await stubThirdParties(context);
    const problems = await watchPage(page);
    await page.addInitScript(AS_A_PERSON);
    const collected: string[] = [];
    // Counted on the collector's answer: an event is in the collector once it has answered.
    page.on("response", (response) => {
      if (response.url().endsWith("/tracklet/collect")) collected.push(response.request().postData() ?? "");
    });

    // Engagement reports go to the same endpoint on each route change; count the pageviews.
    const sentPageviews = () =>
      collected.map((body) => JSON.parse(body)).filter((event) => event.type === "pageview");
    await page.goto(`${server.url}/app/`);
    await expect.poll(() => sentPageviews().length).toBe(1);
    await page.getByRole("link", { name: "Projects" }).click();
    await expect(page).toHaveTitle(/Projects/);
    await expect.poll(() => sentPageviews().length).toBe(2);
    await page.getByRole("link", { name: "Settings" }).click();
    await expect.poll(() => sentPageviews().length).toBe(3);
    await page.goBack();
    await expect(page).toHaveURL(/\/app\/projects$/);
    await expect.poll(() => sentPageviews().length).toBe(4);

    const pageviews = sentPageviews();
    expect(pageviews.map((event) => new URL(event.url).pathname)).toEqual([
      "/app/",
      "/app/projects",
      "/app/settings",
      "/app/projects",
    ]);
    // The title is read after the router updated it; the referrer of an SPA view is the previous SPA URL.
    expect(pageviews[1].title).toMatch(/^Projects/);
    expect(new URL(pageviews[2].referrer).pathname).toBe("/app/projects");

    await collector.flush();
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const unauthorised = await fetch(`${server.url}/tracklet/api/stats?site=127.0.0.1&from=${from}&to=${to}`);
    expect(unauthorised.status).toBe(401);
    const response = await fetch(`${server.url}/tracklet/api/stats?site=127.0.0.1&from=${from}&to=${to}`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(response.status).toBe(200);
    const stats = await response.json();
    expect(stats.totals.pageviews).toBe(4);
    expect(stats.totals.visitors).toBe(1);
    expect(stats.totals.sessions).toBe(1);
    const pages = Object.fromEntries(
      stats.topPages.map((row: { path: string; pageviews: number }) => [row.path, row.pageviews]),
    );
    expect(pages).toEqual({ "/app/projects": 2, "/app/": 1, "/app/settings": 1 });
    expect(problems.pageErrors).toEqual([]);
    expect(problems.consoleErrors).toEqual([]);
  } finally {
    await server.close();
  }
});

test("google_analytics with analytics_spa_pageviews: each SPA route change reaches gtag once", async ({
  page,
  context,
}) => {
  const { app, collector } = createApp({
    configPath: "configs/google_analytics.cfg",
    env: {},
    store: ":memory:",
  });
  const server = await serve(app);
  try {
    await stubThirdParties(context);
    const problems = await watchPage(page);
    await page.addInitScript(AS_A_PERSON);
    await page.goto(`${server.url}/app/`);
    await page.waitForLoadState("load");
    const pageViews = () =>
      page.evaluate(() =>
        (window as unknown as { dataLayer: IArguments[] }).dataLayer
          .map((entry) => Array.from(entry))
          .filter((entry) => entry[0] === "event" && entry[1] === "page_view")
          .map((entry) => (entry[2] as { page_location: string }).page_location),
      );
    await page.getByRole("link", { name: "Projects" }).click();
    await expect.poll(async () => (await pageViews()).length).toBe(1);
    await page.getByRole("link", { name: "Settings" }).click();
    await expect.poll(async () => (await pageViews()).length).toBe(2);
    expect((await pageViews()).map((u) => new URL(u).pathname)).toEqual(["/app/projects", "/app/settings"]);
    expect(problems.pageErrors).toEqual([]);
  } finally {
    await server.close();
    await collector.close();
  }
});
