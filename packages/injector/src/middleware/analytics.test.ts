import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { gunzipSync } from "node:zlib";
import compression from "compression";
import express, { type Express } from "express";
import Handlebars from "handlebars";
import helmet from "helmet";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  countSnippets,
  listen,
  PAGE,
  request,
  type TestServer,
  testSnippet,
} from "../../test/test-support.js";
import type { Snippet } from "../types.js";
import { type AnalyticsOptions, analytics } from "./analytics.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(
  setup: (app: Express) => void,
  options: AnalyticsOptions = {},
  mount = true,
): Promise<string> {
  const app = express();
  if (mount) app.use(analytics({ snippet: testSnippet, ...options }));
  setup(app);
  server = await listen(app);
  return server.url;
}

const injected = (body: Buffer | string) => countSnippets(body.toString()) === 2;

describe("analytics() middleware: bodies", () => {
  it("res.send injects before </head> and recomputes Content-Length", async () => {
    const url = await serve((app) => app.get("/", (_req, res) => res.send(PAGE)));
    const res = await request(url);
    const body = res.body.toString();
    expect(body).toBe(PAGE.replace("</head>", `${testSnippet.html()}</head>`));
    expect(Number(res.headers["content-length"])).toBe(res.body.length);
    expect(res.headers["transfer-encoding"]).toBeUndefined();
  });

  it("res.send(string) with multi-byte characters: express's Content-Type, Content-Length in bytes", async () => {
    const page = `<html><head><title>caf\u00e9 \u{1F600}</title></head><body>${"\u4e16\u754c ".repeat(500)}</body></html>`;
    const url = await serve((app) => app.get("/", (_req, res) => res.send(page)));
    const res = await request(url);
    const expected = page.replace("</head>", `${testSnippet.html()}</head>`);
    expect(res.body.toString()).toBe(expected);
    expect(Number(res.headers["content-length"])).toBe(Buffer.byteLength(expected));
    expect(res.headers["content-type"]).toBe("text/html; charset=utf-8");
  });

  it("res.send(string) of an all-ASCII page: the injected bytes, with express's Content-Length and ETag of them", async () => {
    const etagOf = express().get("etag fn") as (body: Buffer | string, encoding?: string) => string;
    const page = `<!doctype html><html><head><title>ascii</title></head><body>${"<p>x</p>".repeat(2000)}</body></html>`;
    const url = await serve((app) => app.get("/", (_req, res) => res.send(page)));
    const res = await request(url);
    const expected = Buffer.from(page.replace("</head>", `${testSnippet.html()}</head>`));
    expect(res.body.equals(expected)).toBe(true);
    expect(Number(res.headers["content-length"])).toBe(expected.length);
    expect(res.headers.etag).toBe(etagOf(expected));
  });

  it("res.end(string) with multi-byte characters: injected without re-encoding, Content-Length in bytes", async () => {
    const page = `<html><head><title>caf\u00e9 \u{1F600}</title></head><body>${"\u4e16\u754c ".repeat(500)}</body></html>`;
    const url = await serve((app) =>
      app.get("/", (_req, res) => {
        res.setHeader("Content-Type", "text/html; charset=utf-8");
        res.setHeader("Content-Length", Buffer.byteLength(page));
        res.end(page);
      }),
    );
    const res = await request(url);
    const expected = page.replace("</head>", `${testSnippet.html()}</head>`);
    expect(res.body.toString()).toBe(expected);
    expect(Number(res.headers["content-length"])).toBe(Buffer.byteLength(expected));
  });

  it("res.send with Content-Length set by a previous middleware", async () => {
    const url = await serve((app) => {
      app.use((_req, res, next) => {
        res.setHeader("Content-Length", "12");
        next();
      });
      app.get("/", (_req, res) => {
        res.type("html");
        res.write(PAGE.slice(0, 30));
        res.end(PAGE.slice(30));
      });
    });
    const res = await request(url);
    expect(res.headers["content-length"]).toBeUndefined();
    expect(res.headers["transfer-encoding"]).toBe("chunked");
    expect(injected(res.body)).toBe(true);
  });

  it("writeHead with a headers object carrying Content-Length in any case", async () => {
    const url = await serve((app) =>
      app.get("/", (_req, res) => {
        const body = Buffer.from(PAGE);
        res.writeHead(200, { "Content-Type": "text/html", "CONTENT-LENGTH": String(body.length) });
        res.end(body);
      }),
    );
    const res = await request(url);
    expect(injected(res.body)).toBe(true);
    // The body was not known when the headers were written: chunked, never the stale length.
    expect(res.headers["content-length"]).toBeUndefined();
    expect(res.headers["transfer-encoding"]).toBe("chunked");
  });

  it("Content-Length from setHeader with one end(body) is recomputed in bytes", async () => {
    const url = await serve((app) =>
      app.get("/", (_req, res) => {
        res.setHeader("content-type", "text/html; charset=utf-8");
        res.setHeader("content-length", Buffer.byteLength(PAGE));
        res.end(PAGE);
      }),
    );
    const res = await request(url);
    expect(injected(res.body)).toBe(true);
    expect(Number(res.headers["content-length"])).toBe(res.body.length);
  });

  it("writeHead with headers array carrying content-length keeps repeated values", async () => {
    const url = await serve((app) => {
      // No header set before writeHead, so Node sends the array as given.
      app.disable("x-powered-by");
      app.get("/", (_req, res) => {
        res.writeHead(200, "OK", [
          "content-type",
          "text/html",
          "set-cookie",
          "a=1",
          "set-cookie",
          "b=2",
          "Content-Length",
          String(Buffer.byteLength(PAGE)),
        ]);
        res.write(PAGE.slice(0, 40));
        res.end(PAGE.slice(40));
      });
    });
    const res = await request(url);
    expect(injected(res.body)).toBe(true);
    expect(res.headers["set-cookie"]).toEqual(["a=1", "b=2"]);
    expect(res.headers["content-length"]).toBeUndefined();
  });

  it("res.write + res.end in many chunks with </head> split across three chunks", async () => {
    const url = await serve((app) =>
      app.get("/", (_req, res) => {
        res.type("html");
        const cut = PAGE.indexOf("</head>");
        for (const part of [
          PAGE.slice(0, cut + 2),
          PAGE.slice(cut + 2, cut + 4),
          PAGE.slice(cut + 4, cut + 9),
        ]) {
          res.write(part);
        }
        res.end(PAGE.slice(cut + 9));
      }),
    );
    const res = await request(url);
    expect(res.body.toString()).toBe(PAGE.replace("</head>", `${testSnippet.html()}</head>`));
  });

  it("multi-byte UTF-8 character split across chunks", async () => {
    const url = await serve((app) =>
      app.get("/", (_req, res) => {
        res.type("html");
        const bytes = Buffer.from(PAGE);
        for (let i = 0; i < bytes.length; i += 3) res.write(bytes.subarray(i, i + 3));
        res.end();
      }),
    );
    const res = await request(url);
    expect(res.body.toString()).toContain("<title>caf\u00e9</title>");
    expect(injected(res.body)).toBe(true);
  });

  it("write callbacks invoked, encoding arguments honoured and end(cb) called", async () => {
    const calls: string[] = [];
    const url = await serve((app) =>
      app.get("/", (_req, res) => {
        res.type("html");
        res.write(Buffer.from("<html><head>").toString("hex"), "hex", () => calls.push("write1"));
        res.write("<title>t</title></he", () => calls.push("write2"));
        res.write("ad><body>", "utf8", () => calls.push("write3"));
        res.end(() => calls.push("end"));
      }),
    );
    const res = await request(url);
    expect(res.body.toString()).toBe(`<html><head><title>t</title>${testSnippet.html()}</head><body>`);
    await vi.waitFor(() => expect(calls.sort()).toEqual(["end", "write1", "write2", "write3"]));
  });

  it("write after end returns false", async () => {
    let result: boolean | undefined;
    const url = await serve((app) =>
      app.get("/", (_req, res) => {
        res.type("html");
        res.end(PAGE);
        result = res.write("more");
      }),
    );
    const res = await request(url);
    expect(result).toBe(false);
    expect(res.body.toString()).not.toContain("more");
  });

  it("res.render with a Handlebars view", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tracklet-views-"));
    writeFileSync(
      join(dir, "page.hbs"),
      "<html><head><title>{{title}}</title></head><body>{{title}}</body></html>",
    );
    const url = await serve((app) => {
      app.engine("hbs", (file, data, done) => {
        done(null, Handlebars.compile(readFileSync(file, "utf8"))(data));
      });
      app.set("views", dir);
      app.set("view engine", "hbs");
      app.get("/", (_req, res) => res.render("page", { title: "Home" }));
    });
    const res = await request(url);
    expect(res.body.toString()).toBe(
      `<html><head><title>Home</title>${testSnippet.html()}</head><body>Home</body></html>`,
    );
  });

  it("snippet placed by the template through res.locals.placeTrackletSnippet is not injected again", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tracklet-views-"));
    writeFileSync(
      join(dir, "page.hbs"),
      "<html><head></head><body>x{{{placeTrackletSnippet}}}</body></html>",
    );
    const url = await serve((app) => {
      app.engine("hbs", (file, data, done) =>
        done(null, Handlebars.compile(readFileSync(file, "utf8"))(data)),
      );
      app.set("views", dir);
      app.set("view engine", "hbs");
      app.get("/", (_req, res) => res.render("page"));
    });
    const res = await request(url);
    expect(res.body.toString()).toBe(`<html><head></head><body>x${testSnippet.html()}</body></html>`);
  });

  it("page already carrying the snippet is left alone, headers included", async () => {
    const page = PAGE.replace("</head>", `${testSnippet.html()}</head>`);
    const url = await serve((app) => app.get("/", (_req, res) => res.send(page)));
    const res = await request(url);
    expect(res.body.toString()).toBe(page);
    expect(Number(res.headers["content-length"])).toBe(Buffer.byteLength(page));
    expect(res.headers.etag).not.toMatch(/-t/);
  });

  it("mounted twice injects once", async () => {
    const url = await serve((app) => {
      app.use(analytics({ snippet: testSnippet }));
      app.get("/", (_req, res) => res.send(PAGE));
    });
    expect(countSnippets((await request(url)).body.toString())).toBe(2);
  });

  it("routes of a mounted sub-app are injected, and so are the parent's after it", async () => {
    const url = await serve((app) => {
      const sub = express();
      sub.get("/page", (_req, res) => res.send(PAGE));
      app.use("/sub", sub);
      app.get("/", (_req, res) => res.send(PAGE));
    });
    expect(injected((await request(`${url}/sub/page`)).body)).toBe(true);
    expect(injected((await request(url)).body)).toBe(true);
    expect(injected((await request(`${url}/sub/page`)).body)).toBe(true);
  });

  it("responses the middleware did not see stay untouched, also when they assign their own end()", async () => {
    const url = await serve(
      (app) => {
        app.get("/early", (_req, res) => res.send(PAGE));
        app.use(analytics({ snippet: testSnippet }));
        app.get("/", (_req, res) => res.send(PAGE));
      },
      {},
      false,
    );
    // Prime the app, so its response prototype has seen the middleware before.
    expect(injected((await request(url)).body)).toBe(true);
    expect((await request(`${url}/early`)).body.toString()).toBe(PAGE);
    const app = express();
    let ends = 0;
    app.get("/early", (_req, res) => {
      const end = res.end;
      res.end = function (this: typeof res, ...args: unknown[]) {
        ends++;
        return (end as (...a: unknown[]) => typeof res).apply(this, args);
      } as typeof res.end;
      res.send(PAGE);
    });
    app.use(analytics({ snippet: testSnippet }));
    app.get("/", (_req, res) => res.send(PAGE));
    const other = await listen(app);
    try {
      expect(injected((await request(other.url)).body)).toBe(true);
      expect((await request(`${other.url}/early`)).body.toString()).toBe(PAGE);
      expect(ends).toBe(1);
      expect(injected((await request(other.url)).body)).toBe(true);
    } finally {
      await other.close();
    }
  });

  it("a wrapper assigned after the middleware, per request, runs below it in order", async () => {
    const seen: string[] = [];
    const url = await serve((app) => {
      for (const name of ["first", "second"]) {
        app.use((_req, res, next) => {
          const write = res.write;
          const end = res.end;
          res.write = function (this: typeof res, ...args: unknown[]) {
            seen.push(`${name} write`);
            return (write as (...a: unknown[]) => boolean).apply(this, args);
          } as typeof res.write;
          res.end = function (this: typeof res, ...args: unknown[]) {
            seen.push(`${name} end`);
            return (end as (...a: unknown[]) => typeof res).apply(this, args);
          } as typeof res.end;
          next();
        });
      }
      app.get("/", (_req, res) => res.send(PAGE));
      app.get("/chunks", (_req, res) => {
        res.type("html");
        res.write(PAGE.slice(0, 20));
        res.end(PAGE.slice(20));
      });
    });
    for (const path of ["/", "/chunks", "/", "/chunks"]) {
      seen.length = 0;
      const res = await request(`${url}${path}`);
      expect(injected(res.body)).toBe(true);
      // The injected page goes out through both wrappers, the later one outermost of the two.
      const writes = seen.filter((s) => s.includes("write"));
      if (path === "/chunks") expect(writes.length).toBeGreaterThan(0);
      expect(writes).toEqual(writes.map((_, i) => (i % 2 === 0 ? "second write" : "first write")));
      expect(seen.filter((s) => s.includes("end"))).toEqual(["second end", "first end"]);
    }
  });

  it("express.static HTML is injected (streamed file)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tracklet-static-"));
    const big = `<html><head><title>t</title></head><body>${"<p>x</p>".repeat(40_000)}</body></html>`;
    writeFileSync(join(dir, "index.html"), big);
    const url = await serve((app) => app.use(express.static(dir)));
    const res = await request(`${url}/index.html`);
    expect(res.body.toString()).toBe(big.replace("</head>", `${testSnippet.html()}</head>`));
    expect(res.headers["content-length"]).toBeUndefined();
  });

  it("res.sendFile HTML is injected", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tracklet-static-"));
    writeFileSync(join(dir, "page.html"), PAGE);
    const url = await serve((app) => app.get("/", (_req, res) => res.sendFile(join(dir, "page.html"))));
    expect(injected((await request(url)).body)).toBe(true);
  });

  it("application/xhtml+xml is injected", async () => {
    const url = await serve((app) =>
      app.get("/", (_req, res) => res.type("application/xhtml+xml").send(PAGE)),
    );
    expect(injected((await request(url)).body)).toBe(true);
  });
});

describe("analytics() middleware: responses left alone", () => {
  it("HEAD: no body, and the GET's Content-Length and ETag", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tracklet-static-"));
    writeFileSync(join(dir, "index.html"), PAGE);
    const url = await serve((app) => {
      app.get("/", (_req, res) => res.send(PAGE));
      app.use(express.static(dir));
    });
    for (const path of ["/", "/index.html"]) {
      const get = await request(`${url}${path}`);
      const head = await request(`${url}${path}`, { method: "HEAD" });
      expect(injected(get.body)).toBe(true);
      expect(head.body.length).toBe(0);
      expect(head.headers.etag).toBe(get.headers.etag);
      expect(head.headers["content-length"]).toBe(get.headers["content-length"]);
    }
  });

  it("206 range request to express.static untouched", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tracklet-static-"));
    writeFileSync(join(dir, "index.html"), PAGE);
    const url = await serve((app) => app.use(express.static(dir)));
    const res = await request(`${url}/index.html`, { headers: { Range: "bytes=0-20" } });
    expect(res.status).toBe(206);
    expect(res.body.equals(Buffer.from(PAGE).subarray(0, 21))).toBe(true);
  });

  it("non-HTML content type untouched", async () => {
    const binary = Buffer.from([0x3c, 0x2f, 0x68, 0x65, 0x61, 0x64, 0x3e, 0xff, 0x00]);
    const url = await serve((app) => {
      app.get("/json", (_req, res) => res.json({ html: "<head></head>" }));
      app.get("/bin", (_req, res) => res.type("application/octet-stream").send(binary));
    });
    expect((await request(`${url}/json`)).body.toString()).toBe('{"html":"<head></head>"}');
    expect((await request(`${url}/bin`)).body.equals(binary)).toBe(true);
  });

  it("Content-Encoding: gzip body untouched", async () => {
    const url = await serve((app) =>
      app.get("/", (_req, res) => {
        res.set({ "Content-Type": "text/html", "Content-Encoding": "gzip" });
        res.end(Buffer.from("<html><head></head>"));
      }),
    );
    expect((await request(url)).body.toString()).toBe("<html><head></head>");
  });

  it("Cache-Control: no-transform untouched", async () => {
    const url = await serve((app) =>
      app.get("/", (_req, res) => res.set("Cache-Control", "public, no-transform").send(PAGE)),
    );
    expect((await request(url)).body.toString()).toBe(PAGE);
  });

  it("skip() honoured", async () => {
    const url = await serve((app) => app.get("/admin", (_req, res) => res.send(PAGE)), {
      skip: (req) => req.url?.startsWith("/admin") ?? false,
    });
    expect((await request(`${url}/admin`)).body.toString()).toBe(PAGE);
  });

  it("404 pages untouched by default, injected with errorPages", async () => {
    const url = await serve((app) => app.get("/", (_req, res) => res.status(404).send(PAGE)));
    expect((await request(url)).body.toString()).toBe(PAGE);
    await server?.close();
    const url2 = await serve((app) => app.get("/", (_req, res) => res.status(404).send(PAGE)), {
      errorPages: true,
    });
    expect(injected((await request(url2)).body)).toBe(true);
  });

  it("204 and redirects go through", async () => {
    const url = await serve((app) => {
      app.get("/none", (_req, res) => res.status(204).type("html").end());
      app.get("/go", (_req, res) => res.redirect("/none"));
    });
    expect((await request(`${url}/none`)).status).toBe(204);
    const go = await request(`${url}/go`);
    expect(go.status).toBe(302);
    expect(countSnippets(go.body.toString())).toBe(0);
  });

  it("error inside injection sends the original body", async () => {
    const onError = vi.fn();
    // Rendering without a nonce (once, at start-up) works; the per-response rendering with a nonce fails.
    const broken: Snippet = {
      ...testSnippet,
      html: (options) => {
        if (options?.nonce !== undefined) throw new Error("template exploded");
        return testSnippet.html(options);
      },
    };
    const url = await serve((app) => app.get("/", (_req, res) => res.send(PAGE)), {
      snippet: broken,
      onError,
      nonce: () => "n0nce",
    });
    const res = await request(url);
    expect(res.body.toString()).toBe(PAGE);
    expect(Number(res.headers["content-length"])).toBe(Buffer.byteLength(PAGE));
    expect(onError).toHaveBeenCalledWith(
      expect.objectContaining({ message: "template exploded" }),
      expect.anything(),
    );
  });

  it("res.send after the headers went out past the middleware: express's own error, not an injection failure", async () => {
    const onError = vi.fn();
    const errors: unknown[] = [];
    const app = express();
    // No header set before writeHead: the Content-Type it writes is on the wire only, so the page looks untyped.
    app.disable("x-powered-by");
    // Taken before the middleware wraps the response, so the headers it writes bypass the middleware.
    app.use((_req, res, next) => {
      res.locals.rawWriteHead = res.writeHead;
      next();
    });
    app.use(analytics({ snippet: testSnippet, onError }));
    app.get("/", (_req, res) => {
      const writeHead = res.locals.rawWriteHead as typeof res.writeHead;
      writeHead.call(res, 200, { "Content-Type": "text/html; charset=utf-8" });
      res.send(PAGE);
    });
    app.use((error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      errors.push(error);
      res.end();
    });
    server = await listen(app);
    const res = await request(server.url);
    expect(res.status).toBe(200);
    expect(errors).toEqual([expect.objectContaining({ code: "ERR_HTTP_HEADERS_SENT" })]);
    expect(onError).not.toHaveBeenCalled();
  });
});

describe("analytics() middleware: validators", () => {
  it("res.send: the ETag is the injected page's own, answers 304 to itself and never revalidates the bare page", async () => {
    const etagOf = express().get("etag fn") as (body: Buffer | string, encoding?: string) => string;
    const url = await serve((app) => app.get("/", (_req, res) => res.send(PAGE)));
    const first = await request(url);
    const etag = first.headers.etag as string;
    expect(injected(first.body)).toBe(true);
    expect(etag).toBe(etagOf(first.body));
    expect(first.headers["content-type"]).toBe("text/html; charset=utf-8");
    const again = await request(url, { headers: { "If-None-Match": etag } });
    expect(again.status).toBe(304);
    expect(again.headers.etag).toBe(etag);
    // The page without the snippet (cached before the middleware was added) is not revalidated.
    const stale = await request(url, { headers: { "If-None-Match": etagOf(PAGE, "utf8") } });
    expect(stale.status).toBe(200);
    expect(injected(stale.body)).toBe(true);
  });

  it("res.send with an ETag set by the app answers 304 with the tagged ETag; another tag is never revalidated", async () => {
    const url = await serve((app) =>
      app.get("/", (_req, res) => {
        res.setHeader("ETag", '"v1"');
        res.send(PAGE);
      }),
    );
    const first = await request(url);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^W\/"v1-t[\w-]{10}"$/);
    const again = await request(url, { headers: { "If-None-Match": etag } });
    expect(again.status).toBe(304);
    expect(again.headers.etag).toBe(etag);
    const stale = await request(url, {
      headers: { "If-None-Match": etag.replace(/-t[\w-]{10}"$/, '-tAAAAAAAAAA"') },
    });
    expect(stale.status).toBe(200);
    expect(injected(stale.body)).toBe(true);
  });

  it("express.static revalidation answers 304 with the tagged ETag", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tracklet-static-"));
    writeFileSync(join(dir, "index.html"), PAGE);
    const url = await serve((app) => app.use(express.static(dir)));
    const first = await request(`${url}/index.html`);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/-t[\w-]{10}"$/);
    expect(injected(first.body)).toBe(true);
    const again = await request(`${url}/index.html`, {
      headers: { "If-None-Match": etag, "If-Modified-Since": String(first.headers["last-modified"]) },
    });
    expect(again.status).toBe(304);
    expect(again.headers.etag).toBe(etag);
  });

  it("helmet nonce on every injected script, and no validators on per-response pages", async () => {
    const app = express();
    app.use((_req, res, next) => {
      res.locals.cspNonce = Math.random().toString(36).slice(2);
      next();
    });
    app.use(
      helmet({
        contentSecurityPolicy: {
          directives: {
            scriptSrc: ["'self'", (_req, res) => `'nonce-${(res as express.Response).locals.cspNonce}'`],
          },
        },
      }),
    );
    app.use(analytics({ snippet: testSnippet }));
    app.get("/", (_req, res) => res.send(PAGE));
    const modified = new Date(Date.UTC(2026, 0, 1)).toUTCString();
    app.get("/dated", (_req, res) => {
      res.setHeader("Last-Modified", modified);
      res.setHeader("ETag", '"v1"');
      res.send(PAGE);
    });
    server = await listen(app);
    const res = await request(server.url);
    const nonce = /'nonce-([^']+)'/.exec(String(res.headers["content-security-policy"]))?.[1];
    expect(nonce).toBeTruthy();
    const scripts = res.body.toString().match(/<script data-tracklet-snippet[^>]*>/g) ?? [];
    expect(scripts).toHaveLength(2);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    expect(res.headers.etag).toBeUndefined();
    expect(res.headers["last-modified"]).toBeUndefined();
    // Validators the app set never revalidate a page whose nonce is per response.
    const conditional: Record<string, string>[] = [
      { "If-Modified-Since": modified },
      { "If-None-Match": '"v1"' },
    ];
    for (const headers of conditional) {
      const dated = await request(`${server.url}/dated`, { headers });
      expect(dated.status).toBe(200);
      expect(injected(dated.body)).toBe(true);
      expect(dated.headers.etag).toBeUndefined();
      expect(dated.headers["last-modified"]).toBeUndefined();
    }
  });

  it("external bootstrap mode serves the script", async () => {
    const url = await serve((app) => app.get("/", (_req, res) => res.send(PAGE)), {
      inlineScripts: "external",
    });
    const page = await request(url);
    expect(page.body.toString()).toContain(
      '<script data-tracklet-snippet src="/tracklet/bootstrap.js"></script>',
    );
    const script = await request(`${url}/tracklet/bootstrap.js`);
    expect(script.status).toBe(200);
    expect(script.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(script.headers["cache-control"]).toBe("no-cache");
    expect(script.body.toString()).toBe(testSnippet.bootstrapJs);
    const revalidated = await request(`${url}/tracklet/bootstrap.js`, {
      headers: { "If-None-Match": script.headers.etag as string },
    });
    expect(revalidated.status).toBe(304);
  });
});

describe("analytics() middleware: compression and streaming", () => {
  async function gzipPage(order: "compression-first" | "analytics-first") {
    const app = express();
    const big = `<html><head><title>t</title></head><body>${"<p>hello</p>".repeat(2000)}</body></html>`;
    if (order === "compression-first") app.use(compression(), analytics({ snippet: testSnippet }));
    else app.use(analytics({ snippet: testSnippet }), compression());
    const json = { rows: Array.from({ length: 300 }, (_, i) => `row ${i} </head>`) };
    app.get("/send", (_req, res) => res.send(big));
    app.get("/stream", (_req, res) => {
      res.type("html");
      for (let i = 0; i < big.length; i += 1000) res.write(big.slice(i, i + 1000));
      res.end();
    });
    // Settled as not HTML when express sends it: compressed, untouched.
    app.get("/json", (_req, res) => res.json(json));
    server = await listen(app);
    for (const path of ["/send", "/stream", "/json"]) {
      const res = await request(`${server.url}${path}`, { headers: { "Accept-Encoding": "gzip" } });
      expect(res.headers["content-encoding"]).toBe("gzip");
      const body = gunzipSync(res.body).toString();
      if (path === "/json") expect(JSON.parse(body)).toEqual(json);
      else expect(body).toBe(big.replace("</head>", `${testSnippet.html()}</head>`));
    }
  }

  it("compression() mounted before analytics(): compressed and injected", () =>
    gzipPage("compression-first"));
  it("compression() mounted after analytics(): compressed and injected", () => gzipPage("analytics-first"));

  it("an app replacing res.locals keeps compression (mounted after) and injection", async () => {
    const app = express();
    const big = `<html><head><title>t</title></head><body>${"<p>hello</p>".repeat(2000)}</body></html>`;
    app.use(analytics({ snippet: testSnippet }), compression());
    app.get("/", (_req, res) => {
      res.locals = { user: "ada" };
      res.send(big);
    });
    server = await listen(app);
    const res = await request(server.url, { headers: { "Accept-Encoding": "gzip" } });
    expect(res.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(res.body).toString()).toBe(big.replace("</head>", `${testSnippet.html()}</head>`));
  });

  it("an app copying res.locals into a new object keeps the injection", async () => {
    const app = express();
    app.use(analytics({ snippet: testSnippet }));
    app.get("/", (_req, res) => {
      res.locals = { ...res.locals, user: "ada" };
      res.send(PAGE);
    });
    server = await listen(app);
    const res = await request(server.url);
    expect(res.body.toString()).toBe(PAGE.replace("</head>", `${testSnippet.html()}</head>`));
  });

  it("an app replacing res.locals with an object of its own gets its page unmodified", async () => {
    const app = express();
    app.use(analytics({ snippet: testSnippet }));
    app.get("/", (_req, res) => {
      res.locals = { user: "ada" };
      res.send(PAGE);
    });
    server = await listen(app);
    const res = await request(server.url);
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe(PAGE);
    expect(res.headers["content-length"]).toBe(String(Buffer.byteLength(PAGE)));
  });

  it("back-pressure: streamed 10 MB page with a slow reader", async () => {
    const HEAD = "<html><head><title>big</title></head><body>";
    const TAIL = "</body></html>";
    let drains = 0;
    let falses = 0;
    const url = await serve((app) =>
      app.get("/", async (_req, res) => {
        res.type("html");
        res.write(HEAD);
        const line = Buffer.from(`<p>${"x".repeat(1020)}</p>\n`);
        for (let i = 0; i < 10 * 1024; i++) {
          if (!res.write(line)) {
            falses++;
            await new Promise((resolve) => res.once("drain", resolve));
            drains++;
          }
        }
        res.end(TAIL);
      }),
    );
    const body = await new Promise<Buffer>((resolve, reject) => {
      import("node:http").then(({ get }) => {
        get(url, (res) => {
          const chunks: Buffer[] = [];
          // A reader that stalls at first, so the server's socket buffers fill up.
          res.pause();
          setTimeout(() => res.resume(), 300);
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => resolve(Buffer.concat(chunks)));
          res.on("error", reject);
        }).on("error", reject);
      });
    });
    expect(falses).toBeGreaterThan(0);
    expect(drains).toBe(falses);
    expect(body.length).toBe(
      10 * 1024 * 1028 + HEAD.length + TAIL.length + Buffer.byteLength(testSnippet.html()),
    );
    expect(countSnippets(body.toString())).toBe(2);
  });

  it("a piped Readable is injected", async () => {
    const url = await serve((app) =>
      app.get("/", (_req, res) => {
        res.type("html");
        Readable.from([PAGE.slice(0, 50), PAGE.slice(50)]).pipe(res);
      }),
    );
    expect((await request(url)).body.toString()).toBe(
      PAGE.replace("</head>", `${testSnippet.html()}</head>`),
    );
  });
});

describe("analytics() middleware: configuration and locals", () => {
  it("reads the config file when no snippet is given", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tracklet-cfg-"));
    writeFileSync(
      join(dir, "airflow.cfg"),
      "[webserver]\nanalytics_tool = google_analytics\nanalytics_id = G-XYZ789\n",
    );
    const app = express();
    app.use(analytics({ config: join(dir, "airflow.cfg") }));
    app.get("/", (_req, res) => res.send(PAGE));
    server = await listen(app);
    const body = (await request(server.url)).body.toString();
    expect(body.indexOf("G-XYZ789")).toBeGreaterThan(0);
    expect(body.indexOf("G-XYZ789")).toBeLessThan(body.indexOf("</head>"));
  });

  it("is a no-op when the config turns analytics off, and throws on an invalid config", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tracklet-cfg-"));
    writeFileSync(join(dir, "off.cfg"), "[webserver]\n");
    writeFileSync(join(dir, "bad.cfg"), "[webserver]\nanalytics_tool = nope\n");
    expect(() => analytics({ config: join(dir, "bad.cfg") })).toThrow(/bad\.cfg:2/);
    const app = express();
    app.use(analytics({ config: join(dir, "off.cfg") }));
    app.get("/", (_req, res) => res.send(PAGE));
    server = await listen(app);
    expect((await request(server.url)).body.toString()).toBe(PAGE);
  });

  it("res.locals.trackletSnippet carries this response's nonce", async () => {
    const url = await serve((app) =>
      app.get("/", (_req, res) => {
        res.locals.cspNonce = "abc123";
        res.type("text/plain").send(String(res.locals.trackletSnippet));
      }),
    );
    expect((await request(url)).body.toString()).toBe(testSnippet.html({ nonce: "abc123" }));
  });

  it("the nonce option overrides res.locals.cspNonce", async () => {
    const url = await serve((app) => app.get("/", (_req, res) => res.send(PAGE)), {
      nonce: () => "fromOption",
    });
    const body = (await request(url)).body.toString();
    expect(body).toContain('nonce="fromOption"');
  });

  it("trackletSnippetPlaced set by the app skips injection", async () => {
    const url = await serve((app) =>
      app.get("/", (_req, res) => {
        res.locals.trackletSnippetPlaced = true;
        res.send(PAGE);
      }),
    );
    expect((await request(url)).body.toString()).toBe(PAGE);
  });

  it("trackletNoSnippet (the collector's mark) skips injection, sent whole or streamed", async () => {
    const url = await serve((app) => {
      app.get("/", (_req, res) => {
        res.locals.trackletNoSnippet = true;
        res.send(PAGE);
      });
      app.get("/stream", (_req, res) => {
        res.locals.trackletNoSnippet = true;
        res.type("html");
        res.write(PAGE.slice(0, 10));
        res.end(PAGE.slice(10));
      });
      app.get("/other", (_req, res) => res.send(PAGE));
    });
    expect((await request(url)).body.toString()).toBe(PAGE);
    expect((await request(`${url}/stream`)).body.toString()).toBe(PAGE);
    expect((await request(`${url}/other`)).body.toString()).not.toBe(PAGE);
  });
});
