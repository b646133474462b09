import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import type { WireEvent } from "@tracklet/browser-sdk/wire";

const require = createRequire(import.meta.url);
const SCRIPTS: Record<string, string> = {
  "/tracklet.js": require.resolve("@tracklet/browser-sdk/tracklet.js"),
  "/tracklet.core.js": require.resolve("@tracklet/browser-sdk/tracklet.core.js"),
  "/tracklet.standard.js": require.resolve("@tracklet/browser-sdk/tracklet.standard.js"),
};

export interface Recorded {
  at: number;
  events: WireEvent[];
}

/**
 * A local server for one test: serves the built scripts, fixture pages registered with `page()`, and records
 * what reaches `/collect` (the default endpoint, beside the scripts), optionally answering late. Listens on 127.0.0.1 on a random port.
 */
export class FixtureServer {
  readonly received: Recorded[] = [];
  readonly requests: Array<{ at: number; path: string }> = [];
  private readonly pages = new Map<string, string>();
  private server?: Server;
  private requestCount = 0;
  /** Milliseconds `/collect` waits before answering. */
  eventDelayMs = 0;
  origin = "";

  page(path: string, html: string): string {
    this.pages.set(path, html);
    return this.origin + path;
  }

  get events(): WireEvent[] {
    return this.received.flatMap((r) => r.events);
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      // Bounded: a runaway page cannot keep a test busy forever.
      if (++this.requestCount > 500) return void res.writeHead(429).end();
      const path = (req.url ?? "/").split("?")[0] as string;
      this.requests.push({ at: Date.now(), path });
      if (path === "/collect" && req.method === "POST") {
        let body = "";
        req.on("data", (c) => {
          body += c;
        });
        req.on("end", () => {
          const parsed = JSON.parse(body);
          this.received.push({ at: Date.now(), events: parsed.batch ?? [parsed] });
          setTimeout(
            () => res.writeHead(202, { "access-control-allow-origin": "*" }).end(),
            this.eventDelayMs,
          );
        });
        return;
      }
      const script = SCRIPTS[path];
      if (script)
        return void res.writeHead(200, { "content-type": "text/javascript" }).end(readFileSync(script));
      const html = this.pages.get(path);
      if (html !== undefined) return void res.writeHead(200, { "content-type": "text/html" }).end(html);
      res
        .writeHead(200, { "content-type": "text/html" })
        .end(`<!doctype html><title>${path}</title><p>${path}</p>`);
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

/** A page that loads a tracklet build with the given attributes (automation allowed: Playwright sets webdriver). */
export const fixture = (
  opts: { attrs?: string; head?: string; body?: string; script?: string } = {},
): string =>
  `<!doctype html><html><head><title>Fixture</title>${opts.head ?? ""}
<script defer src="${opts.script ?? "/tracklet.js"}" data-automation ${opts.attrs ?? ""}></script></head>
<body>${opts.body ?? ""}</body></html>`;
