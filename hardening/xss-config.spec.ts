import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, type Page, test } from "@playwright/test";
import {
  ANALYTICS_TOOLS,
  type AnalyticsMiddleware,
  type AnalyticsSettings,
  type AnalyticsTool,
  analytics,
  ConfigError,
  createSnippet,
  loadConfig,
  OPTIONS,
} from "@tracklet/injector";
import express from "express";
import { printFigures } from "./support/figures.js";
import { HOSTILE_VALUES } from "./support/hostile-values.js";

/** The least each tool needs to start, so one hostile option at a time can be tried. */
const BASE: Record<AnalyticsTool, Record<string, string>> = {
  google_analytics: { analytics_id: "G-8XK2M4Q7ZP" },
  segment: { analytics_id: "wk_abc123" },
  metarouter: { analytics_id: "wk_abc123" },
  matomo: { analytics_id: "3", analytics_url: "https://matomo.example.com" },
  apache_flagon_useralejs: { apache_flagon_useralejs_data_url: "https://es.example.com:9200" },
  tracklet: {},
};

/** Elements a page may hold after the snippet ran: the page's own, plus the scripts the loaders add. */
const ALLOWED_ELEMENTS = new Set(["html", "head", "meta", "title", "body", "p", "script"]);

const PAGE = (nonce: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>Canary</title></head>` +
  `<body><p id="after">after</p><script nonce="${nonce}">window.__pageScriptRan = true;</script></body></html>`;

interface Attempt {
  option: string;
  tag: string;
  value: string;
  via: "env" | "file";
}

interface Outcome {
  refused: number;
  accepted: number;
  pagesLoaded: number;
}

const envName = (option: string) => `TRACKLET__WEBSERVER__${option.toUpperCase()}`;

/** Starts the app: `/page/:id` runs the middleware registered under that id, with a fresh nonce and a CSP. */
async function startApp(middlewares: Map<number, AnalyticsMiddleware>, cspReports: string[]) {
  const app = express();
  app.post("/csp-report", express.text({ type: () => true }), (req, res) => {
    cspReports.push(String(req.body));
    res.status(204).end();
  });
  app.use((req, res, next) => {
    const id = /^\/page\/(\d+)(?:\/|$)/.exec(req.path)?.[1];
    if (id === undefined) return next();
    const nonce = randomBytes(16).toString("base64");
    res.locals.cspNonce = nonce;
    // Report-only: a value that broke out still runs (and trips the __pwned trap) *and* is reported.
    res.setHeader(
      "Content-Security-Policy-Report-Only",
      `script-src 'nonce-${nonce}' 'strict-dynamic'; object-src 'none'; base-uri 'none'; report-uri /csp-report`,
    );
    const middleware = middlewares.get(Number(id));
    if (!middleware) return next();
    middleware(req, res, next);
  });
  app.get("/page/:id", (_req, res) => {
    res.type("html").send(PAGE(String(res.locals.cspNonce)));
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function installTraps(page: Page, dialogs: string[], thirdParty: string[]) {
  page.on("dialog", (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await page.addInitScript(() => {
    const w = window as unknown as { __pwnedLog: string[]; __cspLog: string[]; __pwned(tag: string): void };
    w.__pwnedLog = [];
    w.__cspLog = [];
    w.__pwned = (tag) => void w.__pwnedLog.push(String(tag));
    document.addEventListener("securitypolicyviolation", (e) =>
      w.__cspLog.push(`${e.violatedDirective} ${e.blockedURI || "inline"}`),
    );
  });
  // No network: every vendor URL is answered locally with an empty script (or 204).
  await page.route(
    (url) => url.hostname !== "127.0.0.1",
    async (route) => {
      const url = route.request().url();
      thirdParty.push(url);
      if (route.request().resourceType() === "script")
        await route.fulfill({ status: 200, contentType: "application/javascript", body: "/* vendor */" });
      else await route.fulfill({ status: 204, body: "" });
    },
  );
}

/** What the page looks like after the snippet ran. */
function inspect(page: Page) {
  return page.evaluate(() => {
    const w = window as unknown as {
      __pwnedLog: string[];
      __cspLog: string[];
      __pageScriptRan?: boolean;
      dataLayer?: unknown[];
      _paq?: unknown[];
    };
    const all = [...document.querySelectorAll("*")];
    return {
      pwned: w.__pwnedLog,
      csp: w.__cspLog,
      pageScriptRan: w.__pageScriptRan === true,
      title: document.title,
      after: document.getElementById("after")?.textContent ?? null,
      elements: [...new Set(all.map((e) => e.localName))],
      handlers: all.flatMap((e) => [...e.attributes].filter((a) => /^on/i.test(a.name)).map((a) => a.name)),
      scripts: [...document.scripts].map((s) => ({
        nonce: s.nonce,
        snippet: s.hasAttribute("data-tracklet-snippet"),
        dataset: { ...s.dataset } as Record<string, string>,
      })),
      dataLayer: JSON.stringify(w.dataLayer ?? null),
      paq: JSON.stringify(w._paq ?? null),
    };
  });
}

/** The config value, as parsed, must reach the page unchanged (escaping is lossless, not only safe). */
function expectValuesArrived(
  settings: AnalyticsSettings,
  state: Awaited<ReturnType<typeof inspect>>,
  label: string,
) {
  const snippetData = state.scripts.filter((s) => s.snippet).map((s) => s.dataset);
  if (settings.tool === "apache_flagon_useralejs") {
    const data = snippetData.find((d) => d.url !== undefined);
    for (const key of ["auth", "tool", "user", "url", "version"] as const) {
      const want = settings.useralejs[key];
      expect(data?.[key], `${label}: data-${key}`).toBe(want);
    }
  }
  if (settings.tool === "tracklet") {
    const data = snippetData.find((d) => d.endpoint !== undefined);
    expect(data?.endpoint, `${label}: data-endpoint`).toBe(settings.url);
    expect(data?.site, `${label}: data-site`).toBe(settings.site);
  }
  if (settings.tool === "google_analytics") {
    const layer = JSON.parse(state.dataLayer) as unknown[][];
    expect(
      layer.some((entry) => entry[0] === "config" && entry[1] === settings.id),
      `${label}: gtag config`,
    ).toBe(true);
  }
  if (settings.tool === "matomo") {
    const paq = JSON.parse(state.paq) as unknown[][];
    expect(paq, `${label}: _paq`).toContainEqual(["setSiteId", settings.id]);
    expect(paq, `${label}: _paq`).toContainEqual(["setTrackerUrl", `${settings.url}matomo.php`]);
  }
}

const outcomes = new Map<string, Outcome>();

test.describe("hostile config values in real Chromium: refused at start-up, or inert on the page", () => {
  const dir = mkdtempSync(join(tmpdir(), "tracklet-xss-"));
  const middlewares = new Map<number, AnalyticsMiddleware>();
  const cspReports: string[] = [];
  let server: Server;
  let base = "";
  let nextId = 0;

  test.beforeAll(async () => {
    ({ server, base } = await startApp(middlewares, cspReports));
  });

  test.afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
    const rows: Array<[string, string]> = [...outcomes].map(([tool, o]) => [
      tool,
      `${o.accepted} accepted (${o.pagesLoaded} page loads in Chromium), ${o.refused} refused at start-up`,
    ]);
    printFigures("hostile config values (every option of every tool)", rows);
  });

  for (const tool of ANALYTICS_TOOLS) {
    test(`${tool}: every option × every hostile value`, async ({ page }) => {
      const dialogs: string[] = [];
      const thirdParty: string[] = [];
      await installTraps(page, dialogs, thirdParty);
      const outcome: Outcome = { refused: 0, accepted: 0, pagesLoaded: 0 };
      outcomes.set(tool, outcome);
      const seen = new Set<string>();
      const options = OPTIONS.filter((o) => o.usedBy === "all" || o.usedBy.includes(tool));
      const attempts: Attempt[] = [];
      for (const option of options) {
        for (const { tag, value } of HOSTILE_VALUES) {
          attempts.push({ option: option.name, tag, value, via: "env" });
          if (!/[\r\n]/.test(value)) attempts.push({ option: option.name, tag, value, via: "file" });
        }
      }
      for (const attempt of attempts) {
        const label = `${tool} ${attempt.option}=${attempt.tag} (${attempt.via})`;
        const values: Record<string, string> = { analytics_tool: tool, ...BASE[tool] };
        values[attempt.option] = attempt.value;
        const path = join(dir, `airflow-${++nextId}.cfg`);
        let env: Record<string, string> = {};
        if (attempt.via === "env") {
          writeFileSync(path, "[webserver]\n");
          env = Object.fromEntries(Object.entries(values).map(([k, v]) => [envName(k), v]));
        } else {
          const lines = Object.entries(values).map(([k, v]) => `${k} = ${v}`);
          writeFileSync(path, `[webserver]\n${lines.join("\n")}\n`);
        }
        let settings: AnalyticsSettings;
        let inline: AnalyticsMiddleware;
        let external: AnalyticsMiddleware;
        const inlineId = ++nextId;
        const externalId = ++nextId;
        try {
          inline = analytics({ config: { path, env } });
          external = analytics({
            config: { path, env },
            inlineScripts: "external",
            bootstrapPath: `/page/${externalId}/bootstrap.js`,
          });
          settings = loadConfig({ path, env }).settings;
        } catch (error) {
          // Refusing is fine, but only with a clear error naming the option at fault.
          expect(error, label).toBeInstanceOf(ConfigError);
          const issues = (error as ConfigError).issues;
          expect(issues.length, label).toBeGreaterThan(0);
          expect((error as ConfigError).message, label).toContain(attempt.option);
          outcome.refused++;
          continue;
        }
        outcome.accepted++;
        const compiled = createSnippet(settings);
        const key = compiled.html({ mode: "inline" });
        if (seen.has(key)) continue;
        seen.add(key);
        // A snippet without inline code (UserALE, tracklet) is the same page in external mode: load it once.
        const sameInExternal = compiled.html({ mode: "external" }) === key;
        const modes = [
          ["inline", inlineId, inline],
          ["external", externalId, external],
        ] as const;
        for (const [mode, id, middleware] of sameInExternal ? modes.slice(0, 1) : modes) {
          middlewares.set(id, middleware);
          const response = await page.goto(`${base}/page/${id}`, { waitUntil: "load" });
          expect(response?.status(), label).toBe(200);
          const state = await inspect(page);
          const where = `${label} [${mode}]`;
          expect(state.pwned, `${where}: injected code ran`).toEqual([]);
          expect(dialogs, `${where}: a dialog opened`).toEqual([]);
          expect(state.csp, `${where}: CSP violations`).toEqual([]);
          expect(state.handlers, `${where}: event-handler attributes`).toEqual([]);
          expect(
            state.elements.filter((e) => !ALLOWED_ELEMENTS.has(e)),
            `${where}: unexpected elements`,
          ).toEqual([]);
          expect(state.title, where).toBe("Canary");
          expect(state.after, where).toBe("after");
          expect(state.pageScriptRan, where).toBe(true);
          const nonce = await page.evaluate(
            () => document.querySelector<HTMLScriptElement>("body script")?.nonce,
          );
          for (const script of state.scripts)
            expect(script.nonce, `${where}: script without the nonce`).toBe(nonce);
          expect(state.scripts.filter((s) => s.snippet).length, where).toBeGreaterThan(0);
          if (mode === "inline") expectValuesArrived(settings, state, where);
          middlewares.delete(id);
          outcome.pagesLoaded++;
        }
      }
      expect(cspReports, "CSP reports received by the server").toEqual([]);
      expect(outcome.accepted + outcome.refused).toBe(attempts.length);
    });
  }
});
