import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import express, { type Express } from "express";
import { afterEach, describe, expect, it } from "vitest";
import { listen, PAGE, request, type TestServer, testSnippet } from "../../test/test-support.js";
import type { DocumentCount } from "../page-counts/document-counter.js";
import { type AnalyticsMiddleware, analytics } from "./analytics.js";

const CHROME =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const NAVIGATION = { "user-agent": CHROME, "sec-fetch-dest": "document", "sec-fetch-mode": "navigate" };

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** An app whose pages are counted into `counts` (path -> documents) once `flush` is called. */
async function countingApp(setup: (app: Express) => void) {
  const counts = new Map<string, number>();
  const sink = (rows: DocumentCount[]) => {
    for (const row of rows) counts.set(row.path, (counts.get(row.path) ?? 0) + row.count);
  };
  const middleware: AnalyticsMiddleware = analytics({
    snippet: testSnippet,
    documents: sink,
    documentsSite: "shop",
  });
  const app = express();
  app.use(middleware);
  setup(app);
  server = await listen(app);
  return { url: server.url, counts, flush: () => middleware.flushDocuments() };
}

describe("analytics() middleware: counting pages served with the snippet", () => {
  it("counts injected pages, sent whole or streamed, and pages the app placed the snippet in", async () => {
    const app = await countingApp((a) => {
      a.get("/sent", (_req, res) => res.send(PAGE));
      a.get("/streamed", (_req, res) => {
        res.type("html");
        Readable.from([PAGE.slice(0, 20), PAGE.slice(20)]).pipe(res);
      });
      a.get("/ended", (_req, res) => {
        res.setHeader("Content-Type", "text/html");
        res.end(PAGE);
      });
      a.get("/placed", (_req, res) => {
        const snippet = (res.locals.placeTrackletSnippet as () => string)();
        res.send(`<html><head>${snippet}</head><body></body></html>`);
      });
    });
    for (const path of ["/sent", "/sent", "/streamed", "/ended", "/placed"]) {
      await request(`${app.url}${path}?q=1`, { headers: NAVIGATION });
    }
    await app.flush();
    expect(Object.fromEntries(app.counts)).toEqual({ "/sent": 2, "/streamed": 1, "/ended": 1, "/placed": 1 });
  });

  it("leaves out what is not injected: JSON, errors, skipped pages, pages already carrying the snippet", async () => {
    const app = await countingApp((a) => {
      a.get("/json", (_req, res) => res.json({ ok: true }));
      a.get("/missing", (_req, res) => res.status(404).send(PAGE));
      a.get("/tagged", (_req, res) => res.send(`<html><head>${testSnippet.html()}</head></html>`));
      a.get("/own", (_req, res) => {
        res.locals.trackletNoSnippet = true;
        res.send(PAGE);
      });
    });
    for (const path of ["/json", "/missing", "/tagged", "/own"]) {
      await request(`${app.url}${path}`, { headers: NAVIGATION });
    }
    await app.flush();
    expect(Object.fromEntries(app.counts)).toEqual({});
  });

  it("leaves out bots, HEAD and requests that are not navigations", async () => {
    const app = await countingApp((a) => a.get("/", (_req, res) => res.send(PAGE)));
    await request(app.url, { headers: { ...NAVIGATION, "user-agent": "Googlebot/2.1" } });
    await request(app.url, { method: "HEAD", headers: NAVIGATION });
    await request(app.url, { headers: { ...NAVIGATION, "sec-fetch-dest": "iframe" } });
    await request(app.url, {
      headers: { "user-agent": CHROME, "sec-fetch-dest": "empty", "sec-fetch-mode": "cors" },
    });
    await request(app.url, { headers: { "user-agent": CHROME } });
    await app.flush();
    expect(Object.fromEntries(app.counts)).toEqual({ "/": 1 });
  });

  it("leaves out paths the SDK sends no pageview for (analytics_include / analytics_exclude)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tracklet-documents-"));
    const file = join(dir, "airflow.cfg");
    writeFileSync(file, "[webserver]\nanalytics_tool = tracklet\nanalytics_exclude = /admin*\n");
    const counts = new Map<string, number>();
    const middleware = analytics({
      config: { path: file, env: {} },
      documents: (rows) => {
        for (const row of rows) counts.set(row.path, (counts.get(row.path) ?? 0) + row.count);
      },
    });
    const app = express();
    app.use(middleware);
    app.get(["/", "/admin/users"], (_req, res) => res.send(PAGE));
    server = await listen(app);
    await request(server.url, { headers: NAVIGATION });
    await request(`${server.url}/admin/users`, { headers: NAVIGATION });
    await middleware.flushDocuments();
    expect(Object.fromEntries(counts)).toEqual({ "/": 1 });
  });

  it("counts nothing without a sink, and documents: false turns a configured one off", async () => {
    const off = analytics({ snippet: testSnippet, documents: false });
    await expect(off.flushDocuments()).resolves.toBeUndefined();
  });
});
