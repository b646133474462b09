import { expect, type Page, test } from "@playwright/test";
import type { WireEvent } from "@tracklet/browser-sdk/wire";
import { FixtureServer, fixture } from "./server.js";

let server: FixtureServer;
let pageErrors: string[];

test.beforeEach(async ({ page }) => {
  server = await new FixtureServer().start();
  pageErrors = [];
  page.on("pageerror", (e) => pageErrors.push(String(e)));
});
test.afterEach(async () => {
  await server.stop();
  expect(pageErrors).toEqual([]);
});

const named = (type: string, name?: string) => (e: WireEvent) =>
  e.type === type && (name === undefined || ("name" in e && e.name === name));
const pageviewPaths = () =>
  server.events.filter(named("pageview")).map((e) => new URL(e.url).pathname + new URL(e.url).hash);
const waitForPageviews = (n: number) =>
  expect.poll(() => server.events.filter(named("pageview")).length).toBe(n);
/** Time for the SPA settle delay and the request; used only before asserting that nothing more arrived. */
const quiet = (page: Page) => page.waitForTimeout(400);
/** Whether a build has started: both give `window.tracklet` a `pageview` method. */
const ready = () => !!(window as { tracklet?: { pageview?: unknown } }).tracklet?.pageview;

/**
 * The script builds. The core build has no default endpoint, so its pages name the fixture server's `/collect`,
 * where the other builds post by default (beside the script).
 */
const CORE = { script: "/tracklet.core.js", attrs: 'data-endpoint="/collect"' };
const STANDARD = { script: "/tracklet.standard.js", attrs: "" };
const BUILDS = [{ script: "/tracklet.js", attrs: "" }, STANDARD, CORE];
const built = (build: (typeof BUILDS)[number], opts: Parameters<typeof fixture>[0] = {}) =>
  fixture({ ...opts, script: build.script, attrs: `${build.attrs} ${opts?.attrs ?? ""}` });

test.describe("pageviews", () => {
  for (const build of BUILDS) {
    test(`initial pageview with ${build.script}`, async ({ page }) => {
      await page.goto(`${server.page("/home", built(build))}?token=s3cret&q=1`);
      await waitForPageviews(1);
      expect(server.events[0]).toMatchObject({
        type: "pageview",
        site: "127.0.0.1",
        url: `${server.origin}/home?token=*&q=1`,
        title: "Fixture",
      });
    });

    test(`pushState, replaceState and popstate: one pageview per navigation (${build.script})`, async ({
      page,
    }) => {
      await page.goto(server.page("/app", built(build)));
      await waitForPageviews(1);
      await page.evaluate(() => {
        history.pushState({}, "", "/app/a");
        document.title = "A";
      });
      await waitForPageviews(2);
      await page.evaluate(() => history.replaceState({}, "", "/app/a?sort=asc"));
      await page.evaluate(() => history.replaceState({}, "", "/app/b"));
      await waitForPageviews(3);
      await page.goBack();
      await waitForPageviews(4);
      await quiet(page);
      expect(pageviewPaths()).toEqual(["/app", "/app/a", "/app/b", "/app"]);
      const [, a, b] = server.events.filter(named("pageview"));
      expect(a).toMatchObject({ title: "A", referrer: `${server.origin}/app` });
      expect(b).toMatchObject({ referrer: `${server.origin}/app/a` });
    });

    test(`hash routers: hashchange and a HashRouter that uses pushState, one pageview each (${build.script})`, async ({
      page,
    }) => {
      await page.goto(server.page("/h", built(build, { attrs: "data-hash" })));
      await waitForPageviews(1);
      await page.evaluate(() => {
        location.hash = "#/users";
      });
      await waitForPageviews(2);
      // react-router's HashRouter navigates with pushState, which fires no hashchange.
      await page.evaluate(() => history.pushState({}, "", "#/settings"));
      await waitForPageviews(3);
      // Back fires both popstate and hashchange: still one pageview.
      await page.goBack();
      await waitForPageviews(4);
      await quiet(page);
      expect(pageviewPaths()).toEqual(["/h", "/h#/users", "/h#/settings", "/h#/users"]);
    });

    test(`bfcache restore counts as a pageview (persisted pageshow dispatched) (${build.script})`, async ({
      page,
    }) => {
      // Headless Chromium does not reliably restore from bfcache under Playwright, so the handler is driven directly.
      await page.goto(server.page("/bf", built(build)));
      await waitForPageviews(1);
      await page.evaluate(() => {
        dispatchEvent(new PageTransitionEvent("pageshow", { persisted: true }));
        dispatchEvent(new PageTransitionEvent("pageshow", { persisted: false }));
      });
      await waitForPageviews(2);
      await quiet(page);
      expect(pageviewPaths()).toEqual(["/bf", "/bf"]);
    });

    test(`a page loaded hidden (prerender, background tab) waits until it is shown (${build.script})`, async ({
      page,
    }) => {
      await page.addInitScript(() => {
        let state = "hidden";
        Object.defineProperty(document, "visibilityState", { get: () => state, configurable: true });
        (window as unknown as { show: () => void }).show = () => {
          state = "visible";
          document.dispatchEvent(new Event("visibilitychange"));
        };
      });
      await page.goto(server.page("/pre", built(build)));
      await page.waitForFunction(ready);
      await quiet(page);
      expect(server.events).toEqual([]);
      await page.evaluate(() => (window as unknown as { show: () => void }).show());
      await waitForPageviews(1);
    });

    test(`the script included twice patches once and counts once (${build.script})`, async ({ page }) => {
      await page.goto(
        server.page(
          "/twice",
          built(build, {
            head: `<script defer src="${build.script}" data-automation ${build.attrs}></script>`,
          }),
        ),
      );
      await waitForPageviews(1);
      await page.evaluate(() => history.pushState({}, "", "/twice/next"));
      await waitForPageviews(2);
      await quiet(page);
      expect(pageviewPaths()).toEqual(["/twice", "/twice/next"]);
    });

    test(`other libraries patching history before and after keep working (${build.script})`, async ({
      page,
    }) => {
      await page.addInitScript(() => {
        const w = window as unknown as { calls: string[] };
        w.calls = [];
        const original = history.pushState;
        history.pushState = function (this: History, ...args: Parameters<History["pushState"]>) {
          w.calls.push("before");
          original.apply(this, args);
          return "before-result" as unknown as undefined;
        };
      });
      await page.goto(server.page("/libs", built(build)));
      await waitForPageviews(1);
      const result = await page.evaluate(() => {
        const w = window as unknown as { calls: string[] };
        const ours = history.pushState;
        history.pushState = function (this: History, ...args: Parameters<History["pushState"]>) {
          w.calls.push("after");
          return ours.apply(this, args);
        };
        return {
          returned: history.pushState({ k: 1 }, "", "/libs/next"),
          state: history.state,
          calls: w.calls,
        };
      });
      expect(result).toEqual({ returned: "before-result", state: { k: 1 }, calls: ["after", "before"] });
      await waitForPageviews(2);
      expect(pageviewPaths()).toEqual(["/libs", "/libs/next"]);
    });
  }
});

test.describe("core build", () => {
  test("sends nothing without data-endpoint", async ({ page }) => {
    await page.goto(server.page("/core", fixture({ script: "/tracklet.core.js" })));
    await page.waitForFunction(ready);
    await page.evaluate(() => history.pushState({}, "", "/core/next"));
    await quiet(page);
    expect(server.requests.filter((r) => r.path === "/collect")).toEqual([]);
  });

  test("tracklet.pageview() sends a pageview of the current page", async ({ page }) => {
    await page.goto(server.page("/core", built(CORE)));
    await waitForPageviews(1);
    await page.evaluate(() => (window as unknown as { tracklet: { pageview(): void } }).tracklet.pageview());
    await waitForPageviews(2);
    expect(pageviewPaths()).toEqual(["/core", "/core"]);
  });
});

test.describe("engagement", () => {
  const engagements = () =>
    server.events.filter(named("engagement")) as Array<WireEvent & { engagedMs: number }>;

  test("engaged time is sent for the page being left when the route changes", async ({ page }) => {
    await page.goto(server.page("/e", fixture()));
    await waitForPageviews(1);
    await page.waitForTimeout(300);
    await page.evaluate(() => history.pushState({}, "", "/e/next"));
    await waitForPageviews(2);
    await expect.poll(() => engagements().length).toBe(1);
    expect(engagements()[0]).toMatchObject({ url: `${server.origin}/e` });
    expect(engagements()[0]?.engagedMs).toBeGreaterThan(0);
  });

  test("engaged time is sent when the page is hidden", async ({ page }) => {
    await page.addInitScript(() => {
      let state = "visible";
      Object.defineProperty(document, "visibilityState", { get: () => state, configurable: true });
      (window as unknown as { hide: () => void }).hide = () => {
        state = "hidden";
        document.dispatchEvent(new Event("visibilitychange"));
      };
    });
    await page.goto(server.page("/eh", fixture()));
    await waitForPageviews(1);
    await page.waitForTimeout(300);
    await page.evaluate(() => (window as unknown as { hide: () => void }).hide());
    await expect.poll(() => engagements().length).toBe(1);
    expect(engagements()[0]).toMatchObject({ url: `${server.origin}/eh` });
    expect(engagements()[0]?.engagedMs).toBeGreaterThan(0);
  });
});

test.describe("clicks", () => {
  const body = (port: string) => `
    <a id="out" href="http://localhost:${port}/landing">out</a>
    <a id="out-blank" target="_blank" href="http://localhost:${port}/blank">blank</a>
    <a id="pdf" href="/files/report.pdf?token=x">pdf</a>
    <a id="dl" download href="/export">export</a>
    <a id="local" href="/local">local</a>
    <button id="tagged" data-track="Signup" data-track-plan="pro"><span id="inner">Sign up</span></button>
    <a id="tagged-out" data-track="Partner" href="http://localhost:${port}/partner">partner</a>`;
  const open = async (page: Page) => {
    const port = new URL(server.origin).port;
    await page.goto(
      server.page("/clicks", fixture({ attrs: "data-outbound data-downloads", body: body(port) })),
    );
    await waitForPageviews(1);
  };
  const customEvents = () => server.events.filter(named("event")) as Array<WireEvent & { name: string }>;

  test("outbound links with target=_blank, Ctrl/Meta and middle clicks", async ({ page, context }) => {
    await open(page);
    const popup = context.waitForEvent("page");
    await page.click("#out-blank");
    await (await popup).close();
    await page.click("#out", { modifiers: ["ControlOrMeta"] });
    await page.click("#out", { button: "middle" });
    await page.click("#out", { button: "right" });
    await page.click("#local");
    await expect.poll(() => customEvents().length).toBe(3);
    expect(customEvents().map((e) => [e.name, e.props?.url])).toEqual([
      ["Outbound Link: Click", `http://localhost:${new URL(server.origin).port}/blank`],
      ["Outbound Link: Click", `http://localhost:${new URL(server.origin).port}/landing`],
      ["Outbound Link: Click", `http://localhost:${new URL(server.origin).port}/landing`],
    ]);
  });

  test("file downloads by extension or download attribute, with masked URLs", async ({ page }) => {
    await open(page);
    await page.route("**/files/**", (r) => r.fulfill({ body: "pdf", contentType: "application/pdf" }));
    await page.route("**/export", (r) =>
      r.fulfill({ body: "csv", headers: { "content-disposition": "attachment" } }),
    );
    await page.click("#pdf", { modifiers: ["ControlOrMeta"] });
    await page.click("#dl", { modifiers: ["ControlOrMeta"] });
    await expect.poll(() => customEvents().length).toBe(2);
    expect(customEvents().map((e) => [e.name, e.props?.url])).toEqual([
      ["File Download", `${server.origin}/files/report.pdf?token=*`],
      ["File Download", `${server.origin}/export`],
    ]);
  });

  test("tagged elements send their name and props; a tagged outbound link sends one event", async ({
    page,
  }) => {
    await open(page);
    await page.click("#inner");
    await page.click("#tagged-out", { modifiers: ["ControlOrMeta"] });
    await expect.poll(() => customEvents().length).toBe(2);
    await quiet(page);
    expect(customEvents()).toEqual([
      expect.objectContaining({ name: "Signup", props: { url: undefined, plan: "pro" } }),
      expect.objectContaining({
        name: "Partner",
        props: { url: `http://localhost:${new URL(server.origin).port}/partner` },
      }),
    ]);
  });

  test("the standard build sends tagged clicks and custom events, and no link clicks", async ({ page }) => {
    const port = new URL(server.origin).port;
    const attrs = 'data-outbound data-downloads data-include="/nowhere" data-bridge';
    await page.goto(server.page("/clicks", built(STANDARD, { attrs, body: body(port) })));
    // include/exclude are full-build features: the standard build sends every pageview.
    await waitForPageviews(1);
    await page.route("**/files/**", (r) => r.fulfill({ body: "pdf", contentType: "application/pdf" }));
    await page.click("#pdf", { modifiers: ["ControlOrMeta"] });
    await page.click("#out", { modifiers: ["ControlOrMeta"] });
    await page.click("#inner");
    await page.evaluate(() => (window as unknown as { tracklet(name: string): void }).tracklet("Custom"));
    await expect.poll(() => customEvents().length).toBe(2);
    await quiet(page);
    expect(customEvents().map((e) => e.name)).toEqual(["Signup", "Custom"]);
  });

  test("a slow endpoint does not delay navigation", async ({ page }) => {
    await open(page);
    server.eventDelayMs = 1500;
    await page.click("#out");
    await page.waitForURL("**/landing");
    await expect.poll(() => customEvents().length).toBe(1);
    const navigation = server.requests.find((r) => r.path === "/landing");
    const tracked = server.received.find((r) => r.events.some(named("event")));
    expect(navigation && tracked).toBeTruthy();
    // The landing page was requested before the tracking response could have been sent.
    expect(navigation?.at).toBeLessThan((tracked?.at ?? 0) + server.eventDelayMs);
    // The keepalive fetch cut off by the navigation is not sent a second time by sendBeacon.
    await page.waitForTimeout(server.eventDelayMs + 400);
    expect(customEvents()).toHaveLength(1);
  });
});

test.describe("privacy and transport", () => {
  const cases: Array<[string, () => void]> = [
    ["opt-out flag", () => localStorage.setItem("tracklet_ignore", "true")],
    [
      "Global Privacy Control",
      () => Object.defineProperty(Navigator.prototype, "globalPrivacyControl", { get: () => true }),
    ],
    ["Do Not Track", () => Object.defineProperty(Navigator.prototype, "doNotTrack", { get: () => "1" })],
  ];
  for (const [name, init] of cases) {
    for (const build of BUILDS)
      test(`nothing is sent with the ${name} (${build.script})`, async ({ page }) => {
        await page.addInitScript(init);
        await page.goto(server.page("/private", built(build)));
        await page.waitForFunction(ready);
        await page.evaluate(() => history.pushState({}, "", "/private/next"));
        await quiet(page);
        expect(server.events).toEqual([]);
      });
  }

  for (const build of BUILDS)
    test(`automation is ignored unless data-automation is set (${build.script})`, async ({ page }) => {
      await page.goto(server.page("/bot", built(build).replace(" data-automation", "")));
      await page.waitForFunction(ready);
      await quiet(page);
      expect(server.events).toEqual([]);
    });

  for (const build of BUILDS)
    test(`fetch throwing falls back to sendBeacon (${build.script})`, async ({ page }) => {
      await page.addInitScript(() => {
        window.fetch = () => {
          throw new TypeError("blocked by an extension");
        };
      });
      await page.goto(server.page("/nofetch", built(build)));
      await waitForPageviews(1);
    });

  test("fetch throwing and sendBeacon missing: nothing thrown into the page", async ({ page }) => {
    await page.addInitScript(() => {
      window.fetch = () => {
        throw new TypeError("blocked");
      };
      Object.defineProperty(Navigator.prototype, "sendBeacon", { value: undefined });
    });
    await page.goto(server.page("/blocked", fixture({ body: '<a id="x" data-track="X" href="#x">x</a>' })));
    await page.waitForFunction(ready);
    await page.click("#x");
    await page.evaluate(() => history.pushState({}, "", "/blocked/next"));
    await quiet(page);
    expect(server.events).toEqual([]);
  });
});

test.describe("bridges and the queue stub", () => {
  const vendors = () => {
    const w = window as unknown as Record<string, unknown> & { log: unknown[][] };
    w.log = [];
    w.analytics = { page: (...a: unknown[]) => w.log.push(["analytics.page", ...a]) };
    w.userale = { packageCustomLog: (...a: unknown[]) => w.log.push(["userale", a[0]]) };
    w.gtag = (...a: unknown[]) => w.log.push(["gtag", ...a]);
  };

  test("SPA pageviews are forwarded to Segment/Metarouter, UserALE and (when listed) gtag", async ({
    page,
  }) => {
    await page.addInitScript(vendors);
    await page.goto(server.page("/b", fixture({ attrs: 'data-bridge="analytics userale gtag"' })));
    await waitForPageviews(1);
    await page.evaluate(() => history.pushState({}, "", "/b/next"));
    await waitForPageviews(2);
    const log = await page.evaluate(() => (window as unknown as { log: unknown[][] }).log);
    expect(log).toEqual([
      ["analytics.page"],
      ["userale", expect.objectContaining({ type: "pageview", pageUrl: `${server.origin}/b/next` })],
      ["gtag", "event", "page_view", expect.objectContaining({ page_location: `${server.origin}/b/next` })],
    ]);
  });

  test("bridge-only mode forwards without an endpoint, and gtag only when asked", async ({ page }) => {
    await page.addInitScript(vendors);
    await page.goto(server.page("/bo", fixture({ attrs: 'data-bridge data-endpoint="none"' })));
    await page.waitForFunction(ready);
    await page.evaluate(() => history.pushState({}, "", "/bo/next"));
    await page.waitForFunction(() => (window as unknown as { log: unknown[] }).log.length === 2);
    const log = await page.evaluate(() => (window as unknown as { log: unknown[][] }).log.map((l) => l[0]));
    expect(log).toEqual(["analytics.page", "userale"]);
    expect(server.events).toEqual([]);
  });

  test("calls made before the script loaded are replayed", async ({ page }) => {
    const stub =
      "<script>window.tracklet=window.tracklet||function(){(tracklet.q=tracklet.q||[]).push(arguments)};" +
      'tracklet("Early",{props:{step:1}})</script>';
    await page.goto(server.page("/q", fixture({ head: stub })));
    await expect.poll(() => server.events.filter(named("event", "Early")).length).toBe(1);
    expect(server.events.find(named("event", "Early"))?.props).toEqual({ step: 1 });
  });
});
