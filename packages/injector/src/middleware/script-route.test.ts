import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliCompressSync, gzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { listen, request, type TestServer } from "../../test/test-support.js";
import type { SnippetAsset } from "../types.js";
import { createScriptRoute, IMMUTABLE_CACHE, SHORT_CACHE } from "./script-route.js";

const SOURCE = Buffer.from(`window.sdk=${JSON.stringify("x".repeat(400))};`);
const BROTLI = brotliCompressSync(SOURCE);
const GZIP = gzipSync(SOURCE);

let dir: string;
let server: TestServer | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "tracklet-script-route-"));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
  vi.restoreAllMocks();
});

/** The SDK file with the forms given, served at `/t/sdk.hash.js` (immutable) and `/t/sdk.js`. */
async function serve(forms: { br?: Buffer; gz?: Buffer } = { br: BROTLI, gz: GZIP }) {
  const file = join(dir, "sdk.js");
  writeFileSync(file, SOURCE);
  if (forms.br) writeFileSync(`${file}.br`, forms.br);
  if (forms.gz) writeFileSync(`${file}.gz`, forms.gz);
  const scripts = new Map<string, string | SnippetAsset>([
    ["/t/sdk.hash.js", { path: "/t/sdk.hash.js", file, immutable: true }],
    ["/t/sdk.js", { path: "/t/sdk.js", file }],
    ["/t/bootstrap.js", "window.boot=1;"],
  ]);
  const route = createScriptRoute(scripts);
  server = await listen((req, res) => {
    if (!route(req, res)) {
      res.statusCode = 404;
      res.end("app");
    }
  });
  return server.url;
}

const get = (url: string, headers: Record<string, string> = {}, method = "GET") =>
  request(url, { method, headers });

describe("the script route", () => {
  it("serves brotli when accepted", async () => {
    const url = await serve();
    const res = await get(`${url}/t/sdk.js`, { "accept-encoding": "gzip, deflate, br, zstd" });
    expect(res.status).toBe(200);
    expect(res.headers["content-encoding"]).toBe("br");
    expect(res.headers.vary).toBe("Accept-Encoding");
    expect(res.body.equals(BROTLI)).toBe(true);
    expect(Number(res.headers["content-length"])).toBe(BROTLI.length);
    expect(res.headers["content-type"]).toBe("text/javascript; charset=utf-8");
  });

  it("serves gzip when brotli is not accepted", async () => {
    const url = await serve();
    const res = await get(`${url}/t/sdk.js`, { "accept-encoding": "gzip, deflate" });
    expect(res.headers["content-encoding"]).toBe("gzip");
    expect(res.body.equals(GZIP)).toBe(true);
  });

  it("serves gzip when the client ranks it above brotli", async () => {
    const url = await serve();
    const res = await get(`${url}/t/sdk.js`, { "accept-encoding": "br;q=0.5, gzip" });
    expect(res.headers["content-encoding"]).toBe("gzip");
  });

  it("serves the file as it is without Accept-Encoding, still varying on it", async () => {
    const url = await serve();
    const res = await get(`${url}/t/sdk.js`);
    expect(res.headers["content-encoding"]).toBeUndefined();
    expect(res.headers.vary).toBe("Accept-Encoding");
    expect(res.body.equals(SOURCE)).toBe(true);
  });

  it("serves the file as it is when brotli and gzip are refused with q=0", async () => {
    const url = await serve();
    const res = await get(`${url}/t/sdk.js`, { "accept-encoding": "br;q=0, gzip;q=0, identity" });
    expect(res.headers["content-encoding"]).toBeUndefined();
    expect(res.body.equals(SOURCE)).toBe(true);
  });

  it("caches the content-hashed path for a year, immutable", async () => {
    const url = await serve();
    expect((await get(`${url}/t/sdk.hash.js`)).headers["cache-control"]).toBe(IMMUTABLE_CACHE);
    expect(IMMUTABLE_CACHE).toBe("public, max-age=31536000, immutable");
  });

  it("caches the plain path only briefly", async () => {
    const url = await serve();
    expect((await get(`${url}/t/sdk.js`)).headers["cache-control"]).toBe(SHORT_CACHE);
  });

  it("answers 304 when If-None-Match matches", async () => {
    const url = await serve();
    const first = await get(`${url}/t/sdk.js`, { "accept-encoding": "br" });
    const etag = String(first.headers.etag);
    const second = await get(`${url}/t/sdk.js`, { "accept-encoding": "br", "if-none-match": `W/${etag}` });
    expect(second.status).toBe(304);
    expect(second.body.length).toBe(0);
    expect(second.headers.etag).toBe(etag);
    expect(second.headers.vary).toBe("Accept-Encoding");
    expect(second.headers["cache-control"]).toBe(SHORT_CACHE);
  });

  it("answers 200 when If-None-Match names another encoding's ETag", async () => {
    const url = await serve();
    const brotli = await get(`${url}/t/sdk.js`, { "accept-encoding": "br" });
    const gzip = await get(`${url}/t/sdk.js`, { "accept-encoding": "gzip" });
    expect(gzip.headers.etag).not.toBe(brotli.headers.etag);
    const res = await get(`${url}/t/sdk.js`, {
      "accept-encoding": "gzip",
      "if-none-match": String(brotli.headers.etag),
    });
    expect(res.status).toBe(200);
    expect(res.body.equals(GZIP)).toBe(true);
  });

  it("answers HEAD with the headers only", async () => {
    const url = await serve();
    const res = await get(`${url}/t/sdk.js`, { "accept-encoding": "br" }, "HEAD");
    expect(res.status).toBe(200);
    expect(Number(res.headers["content-length"])).toBe(BROTLI.length);
    expect(res.body.length).toBe(0);
  });

  it("serves the file as it is when a precompressed form does not hold it", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const url = await serve({ br: brotliCompressSync(Buffer.from("stale")), gz: GZIP });
    const res = await get(`${url}/t/sdk.js`, { "accept-encoding": "br" });
    expect(res.headers["content-encoding"]).toBeUndefined();
    expect(res.body.equals(SOURCE)).toBe(true);
    expect(
      (await get(`${url}/t/sdk.js`, { "accept-encoding": "br, gzip" })).headers["content-encoding"],
    ).toBe("gzip");
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("sdk.js.br does not hold"));
  });

  it("serves the file as it is, without Vary, when no precompressed form was built", async () => {
    const url = await serve({});
    const res = await get(`${url}/t/sdk.js`, { "accept-encoding": "br, gzip" });
    expect(res.headers["content-encoding"]).toBeUndefined();
    expect(res.headers.vary).toBeUndefined();
    expect(res.body.equals(SOURCE)).toBe(true);
  });

  it("revalidates the external bootstrap on every use", async () => {
    const url = await serve();
    const res = await get(`${url}/t/bootstrap.js`, { "accept-encoding": "br" });
    expect(res.headers["cache-control"]).toBe("no-cache");
    expect(res.headers["content-encoding"]).toBeUndefined();
    expect(res.body.toString()).toBe("window.boot=1;");
  });

  it("leaves other paths and methods to the app", async () => {
    const url = await serve();
    expect((await get(`${url}/t/other.js`)).body.toString()).toBe("app");
    expect((await get(`${url}/t/sdk.js`, {}, "POST")).body.toString()).toBe("app");
    expect((await get(`${url}/t/sdk.js?v=2`)).body.equals(SOURCE)).toBe(true);
  });
});
