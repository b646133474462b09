// How the benches run the collector: the same options and HTTP server for every bench, whichever build of
// the collector they load (this one, or another commit's for a comparison in the same run).
import { createServer, type Server } from "node:http";
import type { Collector, CollectorOptions } from "@tracklet/collector";
import express from "express";

/**
 * The collector's options in every bench. The bench's pages post from https://bench.example to the collector on
 * another origin, like a first-party collector on its own subdomain; load comes from one loopback client posing
 * as many, and X-Forwarded-For carries the simulated client's IP.
 */
export const BENCH_COLLECTOR_OPTIONS = {
  env: {},
  cors: ["https://bench.example"],
  rateLimit: { perSecond: 20, burst: 100 },
} satisfies Partial<CollectorOptions>;

/**
 * An HTTP server for `collector`: `listener` serves POST /collect before Express routing, as
 * `tracklet-collector serve` does; `router` mounts only the Express router, as an app that does not use the
 * listener (and a build without `requestListener`).
 */
export function collectorServer(
  collector: Pick<Collector, "router"> & Partial<Pick<Collector, "requestListener">>,
  mount: "listener" | "router" = "listener",
): Server {
  const app = express();
  app.set("trust proxy", true);
  app.use(collector.router);
  const server = createServer(
    mount === "router" || typeof collector.requestListener !== "function"
      ? app
      : collector.requestListener(app),
  );
  server.keepAliveTimeout = 30_000;
  return server;
}
