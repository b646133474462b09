// A server for the collector bench, run in a child process: `bare` (reads the body, answers 202, does nothing)
// or `collector` (the real collector on the given store). Talks to the parent over IPC.
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type * as CollectorModule from "@tracklet/collector";
import express from "express";
import { BENCH_COLLECTOR_OPTIONS, collectorServer } from "../support/collector-server.js";

const [mode, store, mount = "listener", modulePath] = process.argv.slice(2);

/** CPU time of the main thread in ms (Linux: /proc), or undefined where it cannot be read. */
function mainThreadCpuMs(): number | undefined {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

function send(message: unknown): void {
  process.send?.(message);
}

async function main(): Promise<void> {
  let server: Server;
  let finish: () => Promise<Record<string, unknown>>;
  if (mode === "bare") {
    server = createServer((req, res) => {
      let bytes = 0;
      req.on("data", (chunk: Buffer) => {
        bytes += chunk.length;
      });
      req.on("end", () => {
        res.statusCode = bytes > 0 ? 202 : 400;
        res.end();
      });
    });
    finish = async () => ({});
  } else if (mode === "express") {
    // The same bare handler behind an Express router: what routing alone costs the collector.
    const app = express();
    app.set("trust proxy", true);
    const router = express.Router();
    router.post("/collect", (req, res) => {
      let bytes = 0;
      req.on("data", (chunk: Buffer) => {
        bytes += chunk.length;
      });
      req.on("end", () => {
        res.status(bytes > 0 ? 202 : 400).end();
      });
    });
    app.use(router);
    server = createServer(app);
    finish = async () => ({});
  } else {
    // Another build of the collector (an earlier commit's dist/index.js) to compare in the same run.
    const { createCollector, openStore } = (await import(
      modulePath ?? "@tracklet/collector"
    )) as typeof CollectorModule;
    const collector = createCollector({ store: store as string, ...BENCH_COLLECTOR_OPTIONS });
    await collector.ready;
    server = collectorServer(collector, mount === "router" ? "router" : "listener");
    finish = async () => {
      await collector.close().catch(() => {});
      const m = collector.metrics();
      const check = await openStore(store as string);
      const stored = await check.countEvents();
      await check.close();
      return { ...m, queueFull: m.dropped.queueFull, storedInDb: stored };
    };
  }
  server.keepAliveTimeout = 30_000;
  // CPU time of this process (every thread) under load: less sensitive to a noisy machine than events/s.
  let cpuStart = process.cpuUsage();
  let mainStart = mainThreadCpuMs();
  server.listen(0, "127.0.0.1", () => {
    cpuStart = process.cpuUsage();
    mainStart = mainThreadCpuMs();
    send({ port: (server.address() as AddressInfo).port });
  });
  process.on("message", async (msg) => {
    if (msg !== "stop") return;
    const cpu = process.cpuUsage(cpuStart);
    const mainEnd = mainThreadCpuMs();
    server.close();
    server.closeAllConnections();
    send({
      done: {
        ...(await finish()),
        cpuMs: (cpu.user + cpu.system) / 1000,
        ...(mainStart !== undefined && mainEnd !== undefined ? { mainCpuMs: mainEnd - mainStart } : {}),
      },
    });
    process.exit(0);
  });
}

main().catch((err) => {
  send({ error: String(err?.stack ?? err) });
  process.exit(1);
});
