import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { Agent, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { analytics, createSnippet, parseConfig } from "@tracklet/injector";
import compression from "compression";
import express, { type RequestHandler, type Response } from "express";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fuzzRuns, fuzzSeed, printFigures } from "./support/figures.js";
import { chunkCuts, type GeneratedDocument, htmlDocument, splitAt } from "./support/html-documents.js";
import { fetchRaw } from "./support/http-client.js";

/** How the page leaves the app. */
const DELIVERIES = [
  "send-string",
  "send-buffer",
  "write",
  "write-declared-length",
  "writeHead-length",
  "end-last-chunk",
  "stream",
  "sendFile",
] as const;
type Delivery = (typeof DELIVERIES)[number];

/** Where `compression()` sits relative to the analytics middleware, if it is used at all. */
const COMPRESSION = ["off", "before", "after"] as const;
type Compression = (typeof COMPRESSION)[number];

interface Case {
  doc: GeneratedDocument;
  body: Buffer;
  chunks: Buffer[];
  delivery: Delivery;
  compression: Compression;
  file?: string;
}

const SEED = fuzzSeed(20261129);
const RUNS = fuzzRuns(400);

const settings = parseConfig("[webserver]\nanalytics_tool = tracklet\nanalytics_site = docs\n", {
  env: {},
}).settings;
const snippet = createSnippet(settings);
const snippetHtml = snippet.html({ mode: "inline" });

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

async function deliver(res: Response, c: Case): Promise<void> {
  const type = "text/html; charset=utf-8";
  switch (c.delivery) {
    case "send-string":
      res.type("html").send(c.doc.html);
      return;
    case "send-buffer":
      res.set("Content-Type", type).send(c.body);
      return;
    case "write":
    case "write-declared-length":
      res.setHeader("Content-Type", type);
      if (c.delivery === "write-declared-length") res.setHeader("Content-Length", c.body.length);
      for (const chunk of c.chunks) {
        res.write(chunk);
        await tick();
      }
      res.end();
      return;
    case "writeHead-length":
      res.writeHead(200, { "Content-Type": type, "Content-Length": String(c.body.length) });
      for (const chunk of c.chunks) {
        res.write(chunk);
        await tick();
      }
      res.end();
      return;
    case "end-last-chunk": {
      res.setHeader("Content-Type", type);
      const last = c.chunks.at(-1);
      for (const chunk of c.chunks.slice(0, -1)) {
        res.write(chunk);
        await tick();
      }
      res.end(last);
      return;
    }
    case "stream":
      res.setHeader("Content-Type", type);
      await pipeline(Readable.from(c.chunks), res);
      return;
    case "sendFile":
      await new Promise<void>((resolve, reject) =>
        res.sendFile(c.file as string, (error) => (error ? reject(error) : resolve())),
      );
      return;
  }
}

describe("snippet injection under any response shape (real Express, real HTTP)", () => {
  const cases = new Map<number, Case>();
  const dir = mkdtempSync(join(tmpdir(), "tracklet-hardening-"));
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  let server: Server;
  let base = "";

  beforeAll(async () => {
    const app = express();
    app.set("etag", false);
    const compress = compression({ threshold: 0 });
    const when =
      (where: Compression): RequestHandler =>
      (req, res, next) =>
        cases.get(Number(req.params.id))?.compression === where ? compress(req, res, next) : next();
    app.get("/doc/:id", when("before"));
    app.use(analytics({ snippet }));
    app.get("/doc/:id", when("after"), async (req, res, next) => {
      const c = cases.get(Number(req.params.id));
      if (!c) return next();
      try {
        await deliver(res, c);
      } catch (error) {
        next(error);
      }
    });
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, "127.0.0.1", () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    agent.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  it("puts the snippet exactly once at the documented place and leaves every other byte alone", async () => {
    const arbitrary = htmlDocument.chain((doc) => {
      const body = Buffer.from(doc.html, "utf8");
      return fc.record({
        doc: fc.constant(doc),
        body: fc.constant(body),
        cuts: chunkCuts(body.length),
        delivery: fc.constantFrom(...DELIVERIES),
        compression: fc.constantFrom(...COMPRESSION),
      });
    });
    const tally = new Map<string, number>();
    let injected = 0;
    let untouched = 0;
    let heads = 0;
    let id = 0;
    console.log(`[hardening] injection fuzz: seed ${SEED}, ${RUNS} runs (HARDENING_SEED / HARDENING_RUNS)`);
    await fc.assert(
      fc.asyncProperty(arbitrary, async (input) => {
        const n = ++id;
        const c: Case = {
          doc: input.doc,
          body: input.body,
          chunks: splitAt(input.body, input.cuts),
          delivery: input.delivery,
          compression: input.compression,
        };
        if (c.delivery === "sendFile") {
          c.file = join(dir, `page-${n}.html`);
          writeFileSync(c.file, c.body);
        }
        cases.set(n, c);
        try {
          const res = await fetchRaw(`${base}/doc/${n}`, {
            agent,
            headers:
              c.compression === "off" ? { "accept-encoding": "identity" } : { "accept-encoding": "gzip" },
          });
          expect(res.status).toBe(200);
          expect(res.headers["content-type"]).toMatch(/^text\/html/);
          const declared = res.headers["content-length"];
          if (declared !== undefined) expect(Number(declared)).toBe(res.wire.length);
          else expect(res.headers["transfer-encoding"]).toBe("chunked");
          const expected =
            c.doc.insertAt === null
              ? c.body
              : Buffer.concat([
                  c.body.subarray(0, c.doc.insertAt),
                  Buffer.from(snippetHtml),
                  c.body.subarray(c.doc.insertAt),
                ]);
          expect(res.body.toString("utf8")).toBe(expected.toString("utf8"));
          expect(res.body.equals(expected)).toBe(true);
          if (c.compression === "off") {
            // HEAD must not contradict GET: same type and validator, and no length other than the GET body's.
            const head = await fetchRaw(`${base}/doc/${n}`, {
              agent,
              method: "HEAD",
              headers: { "accept-encoding": "identity" },
            });
            heads++;
            expect(head.status).toBe(200);
            expect(head.wire.length).toBe(0);
            expect(head.headers["content-type"]).toBe(res.headers["content-type"]);
            expect(head.headers.etag).toBe(res.headers.etag);
            const headLength = head.headers["content-length"];
            if (headLength !== undefined) expect(Number(headLength)).toBe(res.wire.length);
          }
          const key = `${c.doc.shape} / ${c.delivery} / compression ${c.compression}`;
          tally.set(key, (tally.get(key) ?? 0) + 1);
          if (c.doc.insertAt === null) untouched++;
          else injected++;
        } finally {
          cases.delete(n);
        }
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true, verbose: 1 },
    );
    const shapes = new Map<string, number>();
    for (const [key, count] of tally) {
      const shape = key.split(" / ")[0] as string;
      shapes.set(shape, (shapes.get(shape) ?? 0) + count);
    }
    printFigures("injection fuzz", [
      ["seed", SEED],
      ["runs", RUNS],
      ["injected once, rest byte-identical", injected],
      ["no insertion point, byte-identical", untouched],
      ["HEAD requests consistent with their GET", heads],
      ["distinct shape/delivery/compression combos", tally.size],
      ...[...shapes].map(([shape, count]): [string, number] => [`shape ${shape}`, count]),
    ]);
    expect(tally.size).toBeGreaterThan(60);
  });
});
