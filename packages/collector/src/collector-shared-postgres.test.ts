import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startThrowawayPostgres, type ThrowawayPostgres } from "../test/postgres.js";
import { type Collector, createCollector } from "./collector.js";
import { PostgresStore } from "./store/postgres/postgres-store.js";

let pg: ThrowawayPostgres;
beforeAll(async () => {
  pg = await startThrowawayPostgres();
}, 60_000);
afterAll(async () => {
  await pg?.stop();
});

interface Instance {
  collector: Collector;
  server: Server;
  url: string;
}

async function startInstance(store: string): Promise<Instance> {
  const collector = createCollector({ store, env: {}, onError: () => {}, rateLimit: false });
  await collector.ready;
  const app = express();
  app.set("trust proxy", true);
  app.use(collector.router);
  const server = createServer(collector.requestListener(app));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { collector, server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function pageview(instance: Instance, visitorIp: string, path: string): Promise<Response> {
  return fetch(`${instance.url}/collect`, {
    method: "POST",
    headers: {
      "content-type": "text/plain",
      "user-agent": "Mozilla/5.0 Firefox/121.0",
      "x-forwarded-for": visitorIp,
    },
    body: JSON.stringify({ type: "pageview", site: "shared.test", url: `https://shared.test${path}` }),
  });
}

describe("two collectors on one PostgreSQL", () => {
  it("keep a visitor whose requests alternate between them in one session", async () => {
    const url = await pg.createDatabase("shared_sessions");
    const [a, b] = (await Promise.all([startInstance(url), startInstance(url)])) as [Instance, Instance];
    try {
      // Faster than either flushes: neither has written the other's events when the next request arrives.
      for (let i = 0; i < 6; i++)
        expect((await pageview(i % 2 ? b : a, "10.1.0.1", `/p${i}`)).status).toBe(202);
      // A second visitor's first pageviews reach both at once.
      const both = await Promise.all([pageview(a, "10.1.0.2", "/x"), pageview(b, "10.1.0.2", "/y")]);
      expect(both.map((r) => r.status)).toEqual([202, 202]);
      await a.collector.flush();
      await b.collector.flush();
      const check = new PostgresStore({ connectionString: url, autoRollups: false });
      const { rows } = await check.pool.query<{
        path: string;
        visitors: string;
        sessions: string;
        n: string;
      }>(
        `SELECT MIN(path) AS path, COUNT(DISTINCT visitor_id) AS visitors, COUNT(DISTINCT session_id) AS sessions,
                COUNT(*) AS n
           FROM events GROUP BY path LIKE '/p%' ORDER BY 1`,
      );
      await check.close();
      expect(rows.map((r) => [r.path, Number(r.visitors), Number(r.sessions), Number(r.n)])).toEqual([
        ["/p0", 1, 1, 6],
        ["/x", 1, 1, 2],
      ]);
    } finally {
      for (const i of [a, b]) {
        await new Promise((r) => i.server.close(r));
        await i.collector.close();
      }
    }
  });
});
