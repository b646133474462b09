import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { analytics, createSnippet, parseConfig } from "@tracklet/injector";
import express from "express";
import fc from "fast-check";
import { fuzzRuns, fuzzSeed, printFigures } from "./support/figures.js";
import type { GeneratedDocument } from "./support/html-documents.js";
import { htmlDocument } from "./support/html-documents.js";

/**
 * The byte-level rule (injection-fuzz.test.ts) checked against a real parser: where Chromium puts the injected
 * script, and that it runs exactly once, for documents full of `</head>` and `<body>` decoys.
 */
const SEED = fuzzSeed(20261129);
const RUNS = Math.min(fuzzRuns(120), 300);

const settings = parseConfig("[webserver]\nanalytics_tool = tracklet\n", { env: {} }).settings;
const snippet = createSnippet(settings);
/** The script the snippet loads (`/tracklet/tracklet.<hash>.js`), answered here with a run counter. */
const scriptPath = /src="([^"]+)"/.exec(snippet.html())?.[1] ?? "";

/** Where the browser must see the snippet element, per document shape. */
const EXPECTED_PARENT: Record<GeneratedDocument["shape"], "head" | "body" | null> = {
  full: "head",
  fragment: "head",
  "body-only": "body",
  "unclosed-head": "body",
  empty: null,
};

test("the snippet lands where the document's own parser puts head content, and runs once", async ({
  page,
}) => {
  const docs = new Map<number, string>();
  const app = express();
  app.get(scriptPath, (_req, res) => {
    res.type("js").send("window.__snippetRuns = (window.__snippetRuns || 0) + 1;");
  });
  app.use(analytics({ snippet }));
  app.get("/doc/:id", (req, res) => {
    res.type("html").send(docs.get(Number(req.params.id)) ?? "");
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await page.route(
    (url) => url.hostname !== "127.0.0.1",
    (route) => route.fulfill({ status: 204, body: "" }),
  );
  const tally: Record<string, number> = {};
  let id = 0;
  try {
    await fc.assert(
      fc.asyncProperty(htmlDocument, async (doc) => {
        const n = ++id;
        docs.set(n, doc.html);
        await page.goto(`${base}/doc/${n}`, { waitUntil: "load" });
        const seen = await page.evaluate(() => {
          const scripts = [...document.querySelectorAll("script[data-tracklet-snippet]")];
          return {
            count: scripts.length,
            parent: scripts[0]?.parentElement?.localName ?? null,
            runs: (window as unknown as { __snippetRuns?: number }).__snippetRuns ?? 0,
          };
        });
        const parent = EXPECTED_PARENT[doc.shape];
        if (parent === null) {
          expect(seen).toEqual({ count: 0, parent: null, runs: 0 });
        } else {
          expect(seen, doc.html).toEqual({ count: 1, parent, runs: 1 });
        }
        tally[doc.shape] = (tally[doc.shape] ?? 0) + 1;
        docs.delete(n);
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true, verbose: 1 },
    );
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  printFigures("snippet placement in Chromium", [
    ["seed", SEED],
    ["documents", RUNS],
    ...Object.entries(tally).map(([shape, count]): [string, number] => [`shape ${shape}`, count]),
  ]);
});
