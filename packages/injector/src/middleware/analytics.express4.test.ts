import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import compression from "compression";
import express4 from "express4";
import Handlebars from "handlebars";
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

const expected = (page: string) => page.replace("</head>", `${testSnippet.html()}</head>`);
const big = `<html><head><title>t</title></head><body>${"<p>hello</p>".repeat(2000)}</body></html>`;

describe("analytics() under Express 4", () => {
  it("res.send of a short and a long page, with Content-Length and a 304 on its own ETag", async () => {
    const app = express4();
    app.use(analytics({ snippet: testSnippet }));
    app.get("/short", (_req, res) => res.send(PAGE));
    app.get("/long", (_req, res) => res.send(big));
    server = await listen(app);
    for (const [path, page] of [
      ["/short", PAGE],
      ["/long", big],
    ] as const) {
      const res = await request(`${server.url}${path}`);
      expect(res.body.toString()).toBe(expected(page));
      expect(Number(res.headers["content-length"])).toBe(res.body.length);
      const again = await request(`${server.url}${path}`, {
        headers: { "If-None-Match": res.headers.etag as string },
      });
      expect(again.status).toBe(304);
    }
  });

  it("res.render, express.static and res.json", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tracklet-express4-"));
    writeFileSync(
      join(dir, "page.hbs"),
      "<html><head><title>{{title}}</title></head><body>{{title}}</body></html>",
    );
    writeFileSync(join(dir, "index.html"), big);
    const app = express4();
    app.engine("hbs", (file: string, data: object, done: (error: unknown, html?: string) => void) => {
      done(null, Handlebars.compile(readFileSync(file, "utf8"))(data));
    });
    app.set("view engine", "hbs");
    app.set("views", dir);
    app.use(analytics({ snippet: testSnippet }));
    app.use(express4.static(dir));
    app.get("/render", (_req, res) => res.render("page", { title: "Hello" }));
    app.get("/json", (_req, res) => res.json({ html: "</head>" }));
    server = await listen(app);
    const rendered = await request(`${server.url}/render`);
    expect(rendered.body.toString()).toBe(
      expected("<html><head><title>Hello</title></head><body>Hello</body></html>"),
    );
    const file = await request(`${server.url}/index.html`);
    expect(file.body.toString()).toBe(expected(big));
    const json = await request(`${server.url}/json`);
    expect(JSON.parse(json.body.toString())).toEqual({ html: "</head>" });
  });

  it("compression() in both mounting orders gives a compressed, injected page", async () => {
    for (const order of ["compression-first", "analytics-first"]) {
      const app = express4();
      if (order === "compression-first") app.use(compression(), analytics({ snippet: testSnippet }));
      else app.use(analytics({ snippet: testSnippet }), compression());
      app.get("/", (_req, res) => res.send(big));
      server = await listen(app);
      const res = await request(server.url, { headers: { "Accept-Encoding": "gzip" } });
      expect(res.headers["content-encoding"]).toBe("gzip");
      expect(gunzipSync(res.body).toString()).toBe(expected(big));
      await server.close();
      server = undefined;
    }
  });

  it("mounted twice injects once", async () => {
    const app = express4();
    app.use(analytics({ snippet: testSnippet }), analytics({ snippet: testSnippet }));
    app.get("/", (_req, res) => res.send(PAGE));
    server = await listen(app);
    const res = await request(server.url);
    expect(countSnippets(res.body.toString())).toBe(2);
  });
});
