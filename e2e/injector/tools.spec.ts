import { expect, test } from "@playwright/test";
import { createApp } from "../../examples/express-app/src/app.js";
import { stubThirdParties, watchPage } from "../support/page-guards.js";
import { serve } from "../support/serve.js";

interface ToolCase {
  tool: string;
  config: string;
  /** The vendor loader the page must request, with the configured id in it. */
  loader: RegExp;
  /** Runs in the page after load: the snippet's own state proves it ran with the configured values. */
  state: () => unknown;
  expected: unknown;
}

const cases: ToolCase[] = [
  {
    tool: "google_analytics",
    config: "configs/google_analytics.cfg",
    loader: /^https:\/\/www\.googletagmanager\.com\/gtag\/js\?id=G-EXAMPLE123$/,
    state: () =>
      (window as unknown as { dataLayer: IArguments[] }).dataLayer
        .map((entry) => Array.from(entry))
        .filter((entry) => entry[0] === "config")
        .map((entry) => entry[1]),
    expected: ["G-EXAMPLE123"],
  },
  {
    tool: "segment",
    config: "configs/segment.cfg",
    loader: /^https:\/\/cdn\.segment\.com\/analytics\.js\/v1\/exampleWriteKey123\/analytics\.min\.js$/,
    state: () => (window as unknown as { analytics: unknown[][] }).analytics.map((call) => call[0]),
    expected: ["page"],
  },
  {
    tool: "metarouter",
    config: "configs/metarouter.cfg",
    loader: /^https?:\/\/cdn\.metarouter\.io\/a\/v1\/example-metarouter-key\.js$/,
    state: () => (window as unknown as { analytics: unknown[][] }).analytics.map((call) => call[0]),
    expected: ["page"],
  },
  {
    tool: "matomo",
    config: "configs/matomo.cfg",
    loader: /^https:\/\/matomo\.example\.com\/matomo\.js$/,
    state: () => (window as unknown as { _paq: unknown[][] })._paq,
    expected: [
      ["trackPageView"],
      ["enableLinkTracking"],
      ["setTrackerUrl", "https://matomo.example.com/matomo.php"],
      ["setSiteId", "7"],
    ],
  },
  {
    tool: "apache_flagon_useralejs",
    config: "configs/apache_flagon_useralejs.cfg",
    loader: /^https:\/\/cdn\.jsdelivr\.net\/npm\/flagon-userale@2\.1\.1\/build\/userale-2\.1\.1\.min\.js$/,
    state: () => {
      const script = document.querySelector("script[src*='flagon-userale']") as HTMLScriptElement;
      return {
        url: script.dataset.url,
        interval: script.dataset.interval,
        autostart: script.dataset.autostart,
        logDetails: script.dataset.logDetails,
        tool: script.dataset.tool,
        user: script.dataset.user,
        auth: script.dataset.auth,
      };
    },
    expected: {
      url: "https://userale.example.com/logs",
      interval: "5000",
      autostart: "true",
      logDetails: "false",
      tool: "tracklet example app",
      user: "example-user",
      auth: undefined,
    },
  },
];

for (const c of cases) {
  test(`${c.tool}: the example page loads the vendor with the configured id and runs without errors`, async ({
    page,
    context,
  }) => {
    const { app } = createApp({ configPath: c.config, env: {} });
    const server = await serve(app);
    try {
      const thirdParty = await stubThirdParties(context);
      const problems = await watchPage(page);
      await page.goto(`${server.url}/about`);
      await page.waitForLoadState("load");
      await expect.poll(() => thirdParty.urls.some((url) => c.loader.test(url))).toBe(true);
      expect(await page.evaluate(c.state)).toEqual(c.expected);
      expect(await page.locator("script[data-tracklet-snippet]").count()).toBeGreaterThan(0);
      expect(problems.pageErrors).toEqual([]);
      expect(problems.consoleErrors).toEqual([]);
    } finally {
      await server.close();
    }
  });
}

test("google_analytics under helmet's strict CSP with a nonce: no violation, gtag runs", async ({
  page,
  context,
}) => {
  const { app } = createApp({ configPath: "configs/google_analytics.cfg", env: {} });
  const server = await serve(app);
  try {
    const thirdParty = await stubThirdParties(context);
    const problems = await watchPage(page);
    const response = await page.goto(`${server.url}/secure`);
    expect(response?.headers()["content-security-policy"]).toContain("nonce-");
    await page.waitForLoadState("load");
    await expect
      .poll(() => thirdParty.urls.some((url) => url.includes("googletagmanager.com/gtag/js")))
      .toBe(true);
    const nonces = await page.$$eval("script[data-tracklet-snippet]", (scripts) =>
      scripts.map((s) => (s as HTMLScriptElement).nonce),
    );
    expect(nonces.length).toBeGreaterThan(0);
    for (const nonce of nonces) expect(nonce).not.toBe("");
    expect(await page.evaluate(() => typeof (window as unknown as { gtag: unknown }).gtag)).toBe("function");
    expect(problems.cspViolations).toEqual([]);
    expect(problems.pageErrors).toEqual([]);
  } finally {
    await server.close();
  }
});

test("segment under helmet's strict CSP: the dynamically inserted loader inherits the nonce", async ({
  page,
  context,
}) => {
  const { app } = createApp({ configPath: "configs/segment.cfg", env: {} });
  const server = await serve(app);
  try {
    const thirdParty = await stubThirdParties(context);
    const problems = await watchPage(page);
    await page.goto(`${server.url}/secure`);
    await page.waitForLoadState("load");
    await expect.poll(() => thirdParty.urls.some((url) => url.includes("cdn.segment.com"))).toBe(true);
    expect(problems.cspViolations).toEqual([]);
  } finally {
    await server.close();
  }
});
