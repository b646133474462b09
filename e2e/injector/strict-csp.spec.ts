import { expect, test } from "@playwright/test";
import { analytics, createSnippet, parseConfig } from "@tracklet/injector";
import express from "express";
import helmet from "helmet";
import { stubThirdParties, watchPage } from "../support/page-guards.js";
import { serve } from "../support/serve.js";

const PAGE = "<!doctype html><html><head><title>strict</title></head><body><h1>strict</h1></body></html>";

/** helmet's default policy (`script-src 'self'`) and no nonce: the app cannot allow inline scripts at all. */
function strictApp(inlineScripts: "inline" | "external") {
  const { settings } = parseConfig(
    "[webserver]\nanalytics_tool = google_analytics\nanalytics_id = G-STRICT1\n",
    {
      file: "strict.cfg",
      env: {},
    },
  );
  const app = express();
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: { scriptSrc: ["'self'", "https://www.googletagmanager.com"] },
      },
    }),
  );
  app.use(analytics({ snippet: createSnippet(settings), inlineScripts }));
  app.get("/", (_req, res) => res.send(PAGE));
  return app;
}

test("strict CSP without a nonce: external bootstrap mode runs the snippet with no violation", async ({
  page,
  context,
}) => {
  const server = await serve(strictApp("external"));
  try {
    const thirdParty = await stubThirdParties(context);
    const problems = await watchPage(page);
    await page.goto(`${server.url}/`);
    await page.waitForLoadState("load");
    await expect.poll(() => thirdParty.urls.some((url) => url.includes("gtag/js?id=G-STRICT1"))).toBe(true);
    expect(await page.evaluate(() => typeof (window as unknown as { gtag: unknown }).gtag)).toBe("function");
    expect(problems.cspViolations).toEqual([]);
    expect(problems.pageErrors).toEqual([]);
  } finally {
    await server.close();
  }
});

test("strict CSP without a nonce: inline mode is blocked, which is why external mode exists", async ({
  page,
  context,
}) => {
  const server = await serve(strictApp("inline"));
  try {
    await stubThirdParties(context);
    const problems = await watchPage(page);
    await page.goto(`${server.url}/`);
    await page.waitForLoadState("load");
    await expect.poll(() => problems.cspViolations.length).toBeGreaterThan(0);
    expect(await page.evaluate(() => typeof (window as unknown as { gtag: unknown }).gtag)).toBe("undefined");
  } finally {
    await server.close();
  }
});
