import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { RequestListener } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import express from "express";
import { createCollector } from "../../packages/collector/src/collector.js";
import { analytics } from "../../packages/injector/src/middleware/analytics.js";
import { AS_A_PERSON, PERSON_USER_AGENT } from "../support/as-a-person.js";
import { startExampleServer } from "../support/example-server.js";
import { stubThirdParties } from "../support/page-guards.js";
import { serve } from "../support/serve.js";

const TOKEN = "coverage-token";
/** The SDK as the injector serves it (`/tracklet/tracklet.<hash>.js`). */
const SDK = /\/tracklet\/tracklet[^/]*\.js$/;

/** Page loads in order, and whether the SDK may load: an ad blocker stands in for the blocked ones. */
const LOADS: Array<{ path: string; blocked: boolean }> = [
  { path: "/", blocked: false },
  { path: "/about", blocked: true },
  { path: "/pricing", blocked: false },
  { path: "/", blocked: true },
  { path: "/about", blocked: false },
  { path: "/pricing", blocked: false },
  { path: "/", blocked: false },
  { path: "/pricing", blocked: true },
  { path: "/", blocked: false },
];

const share = (reported: number, served: number) => `${((reported / served) * 100).toFixed(1)}%`;

test.use({ userAgent: PERSON_USER_AGENT });

test("Coverage: the dashboard shows the exact share of page loads whose SDK reported", async ({
  context,
}) => {
  const server = await startExampleServer("coverage", { dashboardToken: TOKEN });
  const { flush } = server;
  try {
    await stubThirdParties(context);
    await context.addInitScript(AS_A_PERSON);
    for (const load of LOADS) {
      const page = await context.newPage();
      if (load.blocked) await page.route(SDK, (route) => route.abort("blockedbyclient"));
      const pageview = load.blocked
        ? undefined
        : // The collector's answer, not the request: a pageview counts once the collector has accepted it.
          page.waitForResponse(
            (response) =>
              response.url().endsWith("/tracklet/collect") &&
              /"pageview"/.test(response.request().postData() ?? ""),
          );
      await page.goto(`${server.url}${load.path}`);
      await pageview;
      await page.close();
    }
    await flush();

    const expected = new Map<string, { served: number; reported: number }>();
    for (const { path, blocked } of LOADS) {
      const row = expected.get(path) ?? { served: 0, reported: 0 };
      row.served += 1;
      if (!blocked) row.reported += 1;
      expected.set(path, row);
    }
    const reported = LOADS.filter((l) => !l.blocked).length;

    const page = await context.newPage();
    await page.goto(`${server.url}/tracklet/?site=127.0.0.1&range=today&token=${TOKEN}`);
    await expect(page.locator('[data-coverage="share"]')).toHaveText(share(reported, LOADS.length));
    await expect(page.locator('[data-coverage="reported"]')).toHaveText(String(reported));
    await expect(page.locator('[data-coverage="served"]')).toHaveText(String(LOADS.length));
    const rows = await page
      .locator("#table-coverage tbody tr")
      .evaluateAll((trs) =>
        trs.map((tr) => [...tr.querySelectorAll("th, td")].map((cell) => cell.textContent?.trim() ?? "")),
      );
    expect(rows[0]).toEqual([
      "All pages",
      String(LOADS.length),
      String(reported),
      share(reported, LOADS.length),
    ]);
    expect(new Map(rows.slice(1).map(([path, ...cells]) => [path, cells]))).toEqual(
      new Map(
        [...expected].map(([path, c]) => [
          path,
          [String(c.served), String(c.reported), share(c.reported, c.served)],
        ]),
      ),
    );
  } finally {
    await server.close();
  }
});

test("Coverage across processes: the injector posts its page counts to the collector with the shared token", async ({
  context,
}) => {
  const dir = mkdtempSync(join(tmpdir(), "tracklet-coverage-http-"));
  // The app runs on its own server (its own process in production); its origin is known once it listens.
  let site: RequestListener = (_req, res) => res.end();
  const siteServer = await serve((req, res) => site(req, res));
  const collector = createCollector({
    store: join(dir, "collector.sqlite"),
    env: {},
    access: { token: TOKEN },
    coverageToken: "shared-s3cret",
    cors: [siteServer.url],
    rateLimit: false,
    mountPath: "/tracklet",
  });
  const collectorApp = express();
  collectorApp.use("/tracklet", collector.router);
  const collectorServer = await serve(collectorApp);
  try {
    const config = join(dir, "airflow.cfg");
    writeFileSync(
      config,
      [
        "[webserver]",
        "analytics_tool = tracklet",
        `analytics_url = ${collectorServer.url}/tracklet/collect`,
        `analytics_coverage_url = ${collectorServer.url}/tracklet/documents`,
        // biome-ignore lint/suspicious/noTemplateCurlyInString: an airflow.cfg ${VAR} reference, read by the injector
        "analytics_coverage_token = ${COVERAGE_TOKEN}",
        "",
      ].join("\n"),
    );
    const injector = analytics({ config: { path: config, env: { COVERAGE_TOKEN: "shared-s3cret" } } });
    const app = express();
    app.use(injector);
    app.get(["/", "/docs"], (req, res) =>
      res.send(`<!doctype html><html><head><title>${req.path}</title></head><body></body></html>`),
    );
    site = app;

    await context.addInitScript(AS_A_PERSON);
    const loads = [
      { path: "/", blocked: false },
      { path: "/docs", blocked: true },
      { path: "/docs", blocked: false },
      { path: "/", blocked: true },
      { path: "/", blocked: false },
    ];
    for (const load of loads) {
      const page = await context.newPage();
      if (load.blocked) await page.route(SDK, (route) => route.abort("blockedbyclient"));
      const pageview = load.blocked
        ? undefined
        : page.waitForResponse(
            (response) => response.url().endsWith("/tracklet/collect") && response.status() === 202,
          );
      await page.goto(`${siteServer.url}${load.path}`);
      await pageview;
      await page.close();
    }
    await injector.flushDocuments();
    await collector.flush();

    const range = `from=${new Date(Date.now() - 7_200_000).toISOString()}&to=${new Date(Date.now() + 3_600_000).toISOString()}`;
    const response = await fetch(`${collectorServer.url}/tracklet/api/stats?site=127.0.0.1&${range}`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    const stats = await response.json();
    expect(stats.coverage.served).toBe(loads.length);
    expect(stats.coverage.reported).toBe(3);
    expect(stats.coverage.share).toBe(3 / 5);
    const byPath = Object.fromEntries(
      stats.coverage.pages.map((p: { path: string; served: number; reported: number }) => [
        p.path,
        [p.served, p.reported],
      ]),
    );
    expect(byPath).toEqual({ "/": [3, 2], "/docs": [2, 1] });
  } finally {
    await siteServer.close();
    await collectorServer.close();
    await collector.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
