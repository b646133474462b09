// The benchmark's Express app, with or without analytics(): the HTTP bench servers and the in-process
// micro-benchmark build exactly the same app.
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { analytics } from "@tracklet/injector";
import express, { type Express, type RequestHandler } from "express";
import Handlebars from "handlebars";

/**
 * `noop`: a middleware that only calls `next()`, the floor any middleware costs. `tracklet`: this build's
 * analytics(); `baseline`: the analytics() of the build at `BENCH_BASELINE` (another build's `dist/index.js`).
 */
export type Variant = "bare" | "noop" | "tracklet" | "baseline";

const here = dirname(fileURLToPath(import.meta.url));

/** The build at `BENCH_BASELINE`, if set. */
export const BASELINE = process.env.BENCH_BASELINE;

/** The analytics middleware of `variant`'s build, configured from bench.cfg (the same for every build). */
export async function middlewareOf(variant: Variant): Promise<RequestHandler | undefined> {
  if (variant === "bare") return undefined;
  if (variant === "noop") return (_req, _res, next) => next();
  if (variant === "baseline" && BASELINE === undefined) throw new Error("BENCH_BASELINE is not set");
  const build = (
    variant === "baseline"
      ? await import(pathToFileURL(resolve(BASELINE as string)).href)
      : await import("@tracklet/injector")
  ) as { analytics: typeof analytics };
  // BENCH_DOCUMENTS=1 also counts the pages served (Coverage), into a sink that drops the counts.
  const documents = process.env.BENCH_DOCUMENTS === "1" ? { documents: () => {} } : {};
  return build.analytics({
    config: { path: join(here, "bench.cfg"), env: {} },
    ...documents,
  }) as unknown as RequestHandler;
}

const paragraph = "<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.</p>\n";
const head =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bench</title>\n<style>body{margin:0}</style></head><body>\n';
export const page50k = `${head}${paragraph.repeat(Math.ceil(50_000 / paragraph.length))}</body></html>`;
const rows = Array.from({ length: 600 }, (_, i) => `Row ${i}: lorem ipsum dolor sit amet, consectetur.`);
const block = Buffer.from(paragraph.repeat(Math.ceil(65_536 / paragraph.length)).slice(0, 65_536));

/** `/stream` sends this many bytes of body (the HTTP bench's 10 MB page); the micro-benchmark sends less. */
export const STREAM_BYTES = 10 * 1024 * 1024;

export async function createBenchApp(variant: Variant, streamBytes = STREAM_BYTES): Promise<Express> {
  const app = express();
  app.disable("x-powered-by");
  const middleware = await middlewareOf(variant);
  if (middleware !== undefined) app.use(middleware);

  // Compiled once per view file, like a production view cache.
  const views = new Map<string, HandlebarsTemplateDelegate>();
  app.engine("hbs", (file, data, done) => {
    let view = views.get(file);
    if (!view) {
      view = Handlebars.compile(readFileSync(file, "utf8"));
      views.set(file, view);
    }
    done(null, view(data));
  });
  app.set("view engine", "hbs");
  app.set("views", join(here, "views"));
  app.enable("view cache");

  app.get("/send", (_req, res) => {
    res.send(page50k);
  });
  app.get("/render", (_req, res) => {
    res.render("page", { title: "Bench", rows });
  });
  app.get("/stream", (_req, res) => {
    res.type("html");
    let sent = 0;
    const body = new Readable({
      read() {
        if (sent === 0) {
          sent += head.length;
          this.push(head);
        } else if (sent < streamBytes) {
          sent += block.length;
          this.push(block);
        } else {
          this.push("</body></html>");
          this.push(null);
        }
      },
    });
    body.pipe(res);
  });
  app.get("/json", (_req, res) => {
    res.json({ ok: true, rows: 3 });
  });
  return app;
}
