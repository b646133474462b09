// One benchmark server (child process, so memory figures are per server). argv: bare | tracklet.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { analytics, createSnippet, parseConfig } from "@tracklet/injector";
import express from "express";
import Handlebars from "handlebars";

const variant = process.argv[2];
const app = express();
app.disable("x-powered-by");
if (variant === "tracklet") {
  const { settings } = parseConfig(
    "[webserver]\nanalytics_tool = google_analytics\nanalytics_id = G-BENCH123\n",
  );
  app.use(analytics({ snippet: createSnippet(settings) }));
}

const paragraph = "<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.</p>\n";
const head =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bench</title>\n<style>body{margin:0}</style></head><body>\n';
const page50k = head + paragraph.repeat(Math.ceil(50_000 / paragraph.length)) + "</body></html>";

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
app.set("views", join(dirname(fileURLToPath(import.meta.url)), "views"));
app.enable("view cache");
const rows = Array.from({ length: 600 }, (_, i) => `Row ${i}: lorem ipsum dolor sit amet, consectetur.`);

app.get("/send", (_req, res) => {
  res.send(page50k);
});
app.get("/render", (_req, res) => {
  res.render("page", { title: "Bench", rows });
});

const STREAM_BYTES = 10 * 1024 * 1024;
const block = Buffer.from(paragraph.repeat(Math.ceil(65_536 / paragraph.length)).slice(0, 65_536));
app.get("/stream", (_req, res) => {
  res.type("html");
  let sent = 0;
  const body = new Readable({
    read() {
      if (sent === 0) {
        sent += head.length;
        this.push(head);
      } else if (sent < STREAM_BYTES) {
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

const server = app.listen(0, "127.0.0.1", () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  process.send?.({ type: "ready", port });
  setInterval(() => {
    const m = process.memoryUsage();
    process.send?.({ type: "memory", rss: m.rss, heapUsed: m.heapUsed, external: m.external });
  }, 50).unref();
});
process.on("disconnect", () => process.exit(0));
process.on("error", () => process.exit(0));
