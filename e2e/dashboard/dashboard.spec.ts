import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, type Page, test } from "@playwright/test";
import express from "express";
import { type Collector, createCollector } from "../../packages/collector/src/collector.js";
import { createDashboardRouter } from "../../packages/collector/src/dashboard/router.js";
import { SqliteStore } from "../../packages/collector/src/store/sqlite/sqlite-store.js";
import type { StoredEvent } from "../../packages/collector/src/store/types.js";
import { generateEvents } from "../../packages/collector/test/dashboard/seed.js";
import { computeExpected, E2E_FUNNELS, E2E_GOALS, type Expected, type Row } from "./expected.js";

const DAY = 86_400_000;
const TOKEN = "e2e-dashboard-token";
const SITE = "shop.example";
/** Pinned clock: "today" is 2026-06-15 (UTC) for the presets and the live figures alike. */
const NOW = Date.parse("2026-06-15T12:00:00Z");
const TODAY = Date.parse("2026-06-15T00:00:00Z");
const SEARCH_EVENTS = ["search"];
const LIMIT = 10;

let server: Server;
let base: string;
let dir: string;
let store: SqliteStore;
let events: StoredEvent[];
let collector: Collector;
/** Where the collector mounts the dashboard: `<mountPath><paths.dashboard>`. */
const DASH = "/tracklet";

/** Three pageviews of one new visitor ten minutes before "now": the live figures and today's data. */
function liveEvents(): StoredEvent[] {
  return [0, 1, 2].map((i) => ({
    site: SITE,
    type: "pageview",
    name: null,
    ts: NOW - 10 * 60_000 + i * 30_000,
    clientTs: null,
    url: `https://${SITE}/live`,
    path: "/live",
    title: "Live",
    referrer: null,
    referrerSource: null,
    utmSource: null,
    utmMedium: null,
    utmCampaign: null,
    visitorId: "f".repeat(32),
    sessionId: "e".repeat(32),
    userId: null,
    browser: "Firefox",
    os: "Linux",
    device: "desktop",
    engagedMs: null,
    props: null,
  }));
}

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "tracklet-dashboard-e2e-"));
  store = new SqliteStore({ path: join(dir, "events.sqlite"), now: () => NOW });
  events = [
    ...generateEvents({
      events: 6000,
      seed: 2026,
      sites: [SITE, "blog.example"],
      end: new Date(TODAY),
      days: 45,
    }),
    ...liveEvents(),
  ];
  await store.insertEvents(events);
  // The collector mounts the dashboard itself; the factory only pins the dashboard's clock to the seeded data.
  collector = createCollector({
    store,
    access: { token: TOKEN },
    searchEvents: SEARCH_EVENTS,
    goals: Object.fromEntries(Object.entries(E2E_GOALS).map(([name, goal]) => [name, goal.text])),
    funnels: Object.fromEntries(
      Object.entries(E2E_FUNNELS).map(([name, steps]) => [name, steps.map((s) => s.text)]),
    ),
    mountPath: "/tracklet",
    now: () => NOW,
    rateLimit: false,
    dashboard: (options) => createDashboardRouter({ ...options, now: () => new Date(NOW) }),
  });
  await collector.ready;
  const app = express();
  app.use("/tracklet", collector.router);
  server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await collector.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Expected figures for the UTC calendar days `fromDay`..`toDay` (inclusive, ms of midnight). */
function expectedFor(fromDay: number, toDay: number): Expected {
  return computeExpected(events, {
    site: SITE,
    from: fromDay,
    to: toDay + DAY,
    limit: LIMIT,
    searchEvents: SEARCH_EVENTS,
    now: NOW,
  });
}

const grouped = new Intl.NumberFormat("en-US");
const shown = (v: string | number | null) => (typeof v === "number" ? grouped.format(v) : (v ?? "—"));

function duration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
}

/** Rows of a dashboard table as the page shows them (a row header's own text, without nested lists). */
async function tableRows(page: Page, id: string): Promise<string[][]> {
  return page
    .locator(`#table-${id} tbody tr`)
    .evaluateAll((rows) =>
      rows.map((row) => Array.from(row.children).map((cell) => (cell.firstChild?.textContent ?? "").trim())),
    );
}

async function card(page: Page, metric: string): Promise<string> {
  return ((await page.locator(`[data-metric="${metric}"] .value`).textContent()) ?? "").trim();
}

async function expectPageShows(page: Page, expected: Expected) {
  expect(await card(page, "visitors")).toBe(shown(expected.totals.visitors));
  expect(await card(page, "pageviews")).toBe(shown(expected.totals.pageviews));
  expect(await card(page, "sessions")).toBe(shown(expected.totals.sessions));
  expect(await card(page, "events")).toBe(shown(expected.totals.events));
  expect(await card(page, "bounce-rate")).toBe(`${(expected.totals.bounceRate * 100).toFixed(1)}%`);
  expect(await card(page, "avg-session")).toBe(duration(expected.totals.avgSessionSeconds));
  expect(await card(page, "dau")).toBe(shown(expected.activeUsers.dau));
  expect(await card(page, "wau")).toBe(shown(expected.activeUsers.wau));
  expect(await card(page, "mau")).toBe(shown(expected.activeUsers.mau));
  expect(await page.locator('[data-live="visitors"]').textContent()).toBe(shown(expected.live.visitors));
  expect(await page.locator('[data-live="pageviews"]').textContent()).toBe(shown(expected.live.pageviews));
  const series = (await tableRows(page, "series")).map((r) => [r[0]?.slice(0, 10), r[1], r[2]]);
  expect(series).toEqual(expected.series.map((r) => r.map(shown)));
  for (const [id, rows] of Object.entries(expected.tables)) {
    if (id === "event-props") continue;
    expect(rows.length, `${id} has rows to compare`).toBeGreaterThan(0);
    expect(await tableRows(page, id), id).toEqual(rows.map((r: Row) => r.map(shown)));
  }
}

/** Collects console errors, page errors, CSP violations and dialogs (an executed XSS payload would open one). */
function watch(page: Page) {
  const problems: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") problems.push(`console: ${msg.text()}`);
  });
  page.on("pageerror", (err) => problems.push(`pageerror: ${err.message}`));
  page.on("dialog", (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return problems;
}

test("shows the figures computed from the events, across ranges, and exports CSV", async ({ page }) => {
  // Many page loads and three downloads: give it room on a busy 2-core machine.
  test.slow();
  const problems = watch(page);
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) =>
      console.error(`CSP violation: ${e.violatedDirective}`),
    );
  });

  // Signing in with ?token= once: the token leaves the address bar, a cookie stays.
  await page.goto(`${base}${DASH}/?site=${SITE}&token=${TOKEN}`);
  expect(page.url()).toBe(`${base}${DASH}/?site=${SITE}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("tracklet");
  await expectPageShows(page, expectedFor(TODAY - 6 * DAY, TODAY));

  // Hostile values from the events are shown as text, never run.
  await expect(page.locator("#table-top-pages")).toContainText(`/p/"><script>alert(1)</script>`);
  await expect(page.locator("#table-users")).toContainText(`"><img src=x onerror=alert(2)>`);

  // Quick range: last 30 days.
  await page.getByRole("link", { name: "Last 30 days" }).click();
  await expect(page).toHaveURL(/range=30d/);
  await expectPageShows(page, expectedFor(TODAY - 29 * DAY, TODAY));

  // Custom range with comparison, through the form.
  await page.getByLabel("Range", { exact: true }).selectOption("custom");
  await page.getByLabel("From", { exact: true }).fill("2026-05-20");
  await page.getByLabel("To", { exact: true }).fill("2026-06-02");
  await page.getByLabel("Compare with previous period", { exact: true }).check();
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(
    /site=shop\.example&range=custom&from=2026-05-20&to=2026-06-02&interval=day&tz=UTC&limit=10&compare=1$/,
  );
  const from = Date.parse("2026-05-20T00:00:00Z");
  const to = Date.parse("2026-06-02T00:00:00Z");
  await expectPageShows(page, expectedFor(from, to));
  const previous = expectedFor(from - 14 * DAY, from - DAY);
  await expect(page.locator('[data-metric="pageviews"] .delta')).toContainText(
    `(previous: ${shown(previous.totals.pageviews)})`,
  );
  await expect(page.locator('[data-metric="visitors"] .delta')).toContainText(
    `(previous: ${shown(previous.totals.visitors)})`,
  );

  // CSV export of the top pages for the same state.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page
      .locator("#section-top-pages")
      .getByRole("link", { name: /Download CSV/ })
      .click(),
  ]);
  expect(download.suggestedFilename()).toBe("shop.example-top-pages-2026-05-20-2026-06-02.csv");
  const csv = readFileSync((await download.path()) as string, "utf8");
  const quote = (v: string | number | null) => {
    // RFC 4180 quoting after the formula guard: a leading = + - @ gets a '.
    const text = typeof v === "string" && /^[=+\-@\t\r]/.test(v) ? `'${v}` : String(v ?? "");
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const expectedCsv = [
    "Page,Visitors,Pageviews",
    ...(expectedFor(from, to).tables["top-pages"] ?? []).map((r) => r.map(quote).join(",")),
  ];
  expect(csv).toBe(`${expectedCsv.join("\r\n")}\r\n`);

  // Event properties: only in the export; the search term that looks like a formula is neutralised.
  const [propsDownload] = await Promise.all([
    page.waitForEvent("download"),
    page
      .locator("#section-events")
      .getByRole("link", { name: /Custom event properties/ })
      .click(),
  ]);
  const propsCsv = readFileSync((await propsDownload.path()) as string, "utf8").split("\r\n");
  expect(propsCsv[0]).toBe("Event,Property,Value,Count");
  expect(propsCsv.slice(1, -1)).toEqual(
    (expectedFor(from, to).tables["event-props"] ?? []).map((r) => r.map(quote).join(",")),
  );
  const [termsDownload] = await Promise.all([
    page.waitForEvent("download"),
    page
      .locator("#section-search-terms")
      .getByRole("link", { name: /Download CSV/ })
      .click(),
  ]);
  expect(readFileSync((await termsDownload.path()) as string, "utf8")).toContain("'=sum(a1),");

  // The JSON link asks the collector's stats API for the same range and gets the same figures.
  const jsonHref = await page.getByRole("link", { name: "stats API" }).getAttribute("href");
  expect(jsonHref).toMatch(
    /^\/tracklet\/api\/stats\?site=shop\.example&from=2026-05-20T00%3A00%3A00\.000Z&to=2026-06-03T00/,
  );
  const json = await (
    await page.request.get(`${base}${jsonHref}`, { headers: { authorization: `Bearer ${TOKEN}` } })
  ).json();
  expect(json.totals.pageviews).toBe(expectedFor(from, to).totals.pageviews);
  expect(json.goals.map((g: { visitors: number }) => g.visitors)).toEqual(
    (expectedFor(from, to).tables.goals ?? []).map((r) => r[2]),
  );

  // Each funnel is a server-rendered SVG whose description holds every step's figures.
  const funnelRows = expectedFor(from, to).tables.funnels ?? [];
  const checkout = page.locator('[data-funnel="docs_to_signup"] svg');
  await expect(checkout).toHaveAttribute("role", "img");
  await expect(checkout.locator("desc")).toContainText(
    `4. event:signup: ${shown(funnelRows[3]?.[3] ?? null)} visitors (${funnelRows[3]?.[5]} of step 1); ${funnelRows[3]?.[4]} of step 3, ${shown(funnelRows[3]?.[6] ?? null)} dropped off.`,
  );
  const [funnelsDownload] = await Promise.all([
    page.waitForEvent("download"),
    page
      .locator("#section-funnels")
      .getByRole("link", { name: /Download CSV/ })
      .click(),
  ]);
  expect(
    readFileSync((await funnelsDownload.path()) as string, "utf8")
      .split("\r\n")
      .slice(1, -1),
  ).toEqual(funnelRows.map((r) => r.map(quote).join(",")));
  expect(json.totals.visitors).toBe(expectedFor(from, to).totals.visitors);

  // Keyboard: on a fresh load the first Tab reaches the skip link, and following it moves focus to <main>.
  await page.reload();
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Skip to content" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/#main$/);

  expect(problems).toEqual([]);
});

test("works with JavaScript off", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const problems = watch(page);
  await page.goto(`${base}${DASH}/?site=${SITE}&token=${TOKEN}`);
  // With JS off every field stays visible; picking a preset in the form and applying works.
  await page.getByLabel("Range", { exact: true }).selectOption("today");
  await page.getByLabel("Interval", { exact: true }).selectOption("hour");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/range=today/);
  const expected = expectedFor(TODAY, TODAY);
  expect(await card(page, "pageviews")).toBe(shown(expected.totals.pageviews));
  expect(await page.locator('[data-live="pageviews"]').textContent()).toBe("3");
  expect(problems).toEqual([]);
  await context.close();
});

test("refuses unauthenticated requests with 401 and no data", async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const response = await page.goto(`${base}${DASH}/?site=${SITE}&range=30d`);
  expect(response?.status()).toBe(401);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Authentication required");
  const body = await page.content();
  expect(body).not.toContain("/pricing");
  expect(body).not.toContain(SITE);
  for (const path of [
    `${DASH}/export/top-pages.csv`,
    `${DASH}/export/users.csv?site=${SITE}`,
    `${DASH}/?token=wrong`,
    `/tracklet/api/stats?site=${SITE}`,
  ]) {
    const res = await context.request.get(`${base}${path}`, { maxRedirects: 0 });
    expect(res.status(), path).toBe(401);
    expect(await res.text()).not.toContain("/pricing");
  }
  await context.close();
});

test("screenshot of the dashboard (TRACKLET_UPDATE_SCREENSHOT=1 refreshes docs/dashboard.png)", async ({
  browser,
}, testInfo) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1100 } });
  const page = await context.newPage();
  await page.goto(`${base}${DASH}/?site=${SITE}&range=30d&compare=1&token=${TOKEN}`);
  await expect(page.locator("svg").first()).toBeVisible();
  const target = process.env.TRACKLET_UPDATE_SCREENSHOT
    ? join(import.meta.dirname, "../../docs/dashboard.png")
    : testInfo.outputPath("dashboard.png");
  const png = await page.screenshot({ path: target, fullPage: false });
  expect(png.length).toBeGreaterThan(10_000);
  await context.close();
});
