import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import compression from "compression";
import express, { type Express } from "express";
import express4 from "express4";
import { afterEach, describe, expect, it } from "vitest";
import {
  countSnippets,
  listen,
  PAGE,
  request,
  type TestServer,
  testSnippet,
} from "../../test/test-support.js";
import { analytics } from "./analytics.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const dir = mkdtempSync(join(tmpdir(), "tracklet-etag-"));
writeFileSync(join(dir, "index.html"), PAGE);
writeFileSync(join(dir, "page.hbs"), PAGE);

/** Every way an Express app sends a page. */
function routes(app: Express): void {
  app.engine("hbs", (_file, _data, done) => done(null, PAGE));
  app.set("views", dir);
  app.set("view engine", "hbs");
  app.get("/send", (_req, res) => res.send(PAGE));
  app.get("/send-with-etag", (_req, res) => res.set("ETag", '"v1"').send(PAGE));
  app.get("/render", (_req, res) => res.render("page"));
  app.get("/send-file", (_req, res) => res.sendFile(join(dir, "index.html")));
  app.get("/stream", (_req, res) => {
    res.set("ETag", '"v2"').type("html");
    res.write(PAGE.slice(0, 20));
    res.end(PAGE.slice(20));
  });
  app.use(express.static(dir));
}

const PATHS = ["/send", "/send-with-etag", "/render", "/send-file", "/stream", "/index.html"];
const SETUPS = {
  "no nonce": (app: Express) => app.use(analytics({ snippet: testSnippet })),
  "helmet-style nonce": (app: Express) => {
    app.use((_req, res, next) => {
      res.locals.cspNonce = Math.random().toString(36).slice(2);
      next();
    });
    app.use(analytics({ snippet: testSnippet }));
  },
  "compression first": (app: Express) =>
    app.use(compression({ threshold: 0 }), analytics({ snippet: testSnippet })),
  "compression after": (app: Express) =>
    app.use(analytics({ snippet: testSnippet }), compression({ threshold: 0 })),
};

const CASES = Object.entries(SETUPS).flatMap(([name, setup]) => [
  { name: `Express 5, ${name}`, setup, create: express },
  { name: `Express 4, ${name}`, setup, create: express4 },
]);

describe.each(CASES)("HEAD and GET of an injected page ($name)", ({ setup, create }) => {
  it.each(PATHS)("%s: the same ETag, and a GET carries the snippet", async (path) => {
    const app = create();
    setup(app);
    routes(app);
    server = await listen(app);
    const headers = { "accept-encoding": "gzip" };
    const get = await request(`${server.url}${path}`, { headers });
    const head = await request(`${server.url}${path}`, { method: "HEAD", headers });
    expect(get.status).toBe(200);
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(head.headers.etag).toBe(get.headers.etag);
    if (get.headers["content-encoding"] === undefined) expect(countSnippets(get.body.toString())).toBe(2);
  });
});
