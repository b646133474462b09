import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  createGa4Forwarder,
  createSegmentForwarder,
  type Forwarder,
  type ForwarderOptions,
} from "@tracklet/collector";
import { afterEach, describe, expect, it } from "vitest";
import { printFigures } from "./support/figures.js";
import { sleep } from "./support/post.js";

type Mode = "up" | "error" | "down";

/**
 * A stand-in for Segment's or GA4's API on a fixed loopback port that can go down (connection refused), answer 500,
 * or accept (200) — recording every event it accepted, by `properties.seq`.
 */
async function switchableEndpoint(maxRequests = 2000) {
  const delivered: number[] = [];
  let requests = 0;
  let mode: Mode = "up";
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      requests++;
      if (mode === "error" || requests > maxRequests) {
        res.writeHead(500).end("down for maintenance");
        return;
      }
      // Segment: { batch: [{ properties }] }; GA4 Measurement Protocol: { events: [{ params }] }.
      const body = JSON.parse(Buffer.concat(chunks).toString()) as {
        batch?: Array<{ properties: { seq: number } }>;
        events?: Array<{ params: { seq: number } }>;
      };
      for (const message of body.batch ?? []) delivered.push(message.properties.seq);
      for (const message of body.events ?? []) delivered.push(message.params.seq);
      res.writeHead(200, { "content-type": "application/json" }).end('{"success":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const setMode = async (next: Mode) => {
    if (next === "down" && server.listening) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    if (next !== "down" && !server.listening)
      await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    mode = next;
  };
  return {
    url: `http://127.0.0.1:${port}`,
    delivered,
    requests: () => requests,
    setMode,
    close: () => setMode("down"),
  };
}

/** The two real forwarders, pointed at the local endpoint. */
const FORWARDERS = {
  segment: (url: string, options: ForwarderOptions) =>
    createSegmentForwarder({ writeKey: "wk_hardening", host: url, anonymousId: "install-1", ...options }),
  ga4: (url: string, options: ForwarderOptions) =>
    createGa4Forwarder({
      measurementId: "G-HARDENING1",
      apiSecret: "secret",
      endpoint: url,
      clientId: "install-1",
      ...options,
    }),
} as const;

const event = (seq: number) => ({
  name: "billing.invoice_paid",
  timestamp: new Date().toISOString(),
  data: { seq },
  context: {},
});

describe("forwarder outage: the remote refuses, then fails, then comes back", () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0)) await fn();
  });

  it.each(["segment", "ga4"] as const)(
    "%s: delivers every event after an outage shorter than its retry budget",
    async (kind) => {
      const endpoint = await switchableEndpoint();
      const forwarder: Forwarder = FORWARDERS[kind](endpoint.url, {
        flushAt: 10,
        flushInterval: 50,
        capacity: 1000,
        maxRetries: 40,
        minBackoff: 50,
        maxBackoff: 400,
        timeout: 2000,
        onError: () => {},
      });
      cleanup.push(() => forwarder.close({ timeout: 1000 }), endpoint.close);
      let seq = 0;
      for (; seq < 50; seq++) forwarder.send(event(seq));
      await forwarder.flush();
      expect(endpoint.delivered.length).toBe(50);

      const outageStart = performance.now();
      await endpoint.setMode("down");
      let maxQueued = 0;
      for (let i = 0; i < 100; i++) {
        if (i === 50) await endpoint.setMode("error");
        forwarder.send(event(seq++));
        maxQueued = Math.max(maxQueued, forwarder.stats().queued);
        await sleep(30);
      }
      const outageMs = performance.now() - outageStart;
      await endpoint.setMode("up");
      const back = performance.now();
      await forwarder.flush();
      const recoveredMs = performance.now() - back;
      const stats = forwarder.stats();
      const unique = new Set(endpoint.delivered);

      printFigures(`forwarder outage within the retry budget (${kind}, 40 retries, backoff ≤ 400 ms)`, [
        ["outage (refused, then 500)", `${Math.round(outageMs)} ms`],
        ["events sent during the outage", 100],
        ["most events queued", maxQueued],
        ["all delivered after recovery in", `${Math.round(recoveredMs)} ms`],
        ["stats", JSON.stringify(stats)],
        ["delivered (unique / total received)", `${unique.size} / ${endpoint.delivered.length}`],
      ]);
      expect(unique.size).toBe(150);
      expect(endpoint.delivered.length).toBe(150); // a refused or failed request delivered nothing: no duplicates
      expect(stats).toMatchObject({ sent: 150, failed: 0, dropped: 0, queued: 0 });
      expect(stats.retries).toBeGreaterThan(0);
    },
  );

  it.each(["segment", "ga4"] as const)(
    "%s: keeps a bounded queue through a long outage, counts every loss, and recovers with the newest events",
    async (kind) => {
      const endpoint = await switchableEndpoint();
      const capacity = 40;
      const forwarder: Forwarder = FORWARDERS[kind](endpoint.url, {
        flushAt: 10,
        flushInterval: 50,
        capacity,
        maxRetries: 2,
        minBackoff: 50,
        maxBackoff: 200,
        timeout: 2000,
        onError: () => {},
      });
      cleanup.push(() => forwarder.close({ timeout: 1000 }), endpoint.close);
      await endpoint.setMode("down");
      let seq = 0;
      let maxQueued = 0;
      const outageStart = performance.now();
      // Bursts of 100 (more than twice the capacity) every 300 ms: batches fail after their retries, and the
      // oldest waiting events are dropped to make room.
      for (let burst = 0; burst < 6; burst++) {
        if (burst === 3) await endpoint.setMode("error");
        for (let i = 0; i < 100; i++) {
          forwarder.send(event(seq++));
          maxQueued = Math.max(maxQueued, forwarder.stats().queued);
        }
        await sleep(300);
      }
      const outageMs = performance.now() - outageStart;
      await endpoint.setMode("up");
      const back = performance.now();
      const afterRecovery: number[] = [];
      for (let i = 0; i < 20; i++) {
        afterRecovery.push(seq);
        forwarder.send(event(seq++));
      }
      await forwarder.flush();
      const recoveredMs = performance.now() - back;
      const stats = forwarder.stats();
      const delivered = new Set(endpoint.delivered);

      printFigures(`forwarder outage beyond the retry budget (${kind}, capacity 40, 2 retries)`, [
        ["outage (refused, then 500)", `${Math.round(outageMs)} ms`],
        ["events sent (6 bursts of 100, then 20 after)", seq],
        ["most events queued", maxQueued],
        ["sent / failed / dropped", `${stats.sent} / ${stats.failed} / ${stats.dropped}`],
        [
          "events sent after recovery, delivered",
          `${afterRecovery.filter((s) => delivered.has(s)).length}/20`,
        ],
        ["recovered in", `${Math.round(recoveredMs)} ms`],
      ]);
      // Bounded: the capacity waiting, plus the one batch in flight or waiting for its retry (itself taken from
      // a queue of at most `capacity`), as the README says.
      expect(maxQueued).toBeLessThanOrEqual(2 * capacity);
      // Every event is accounted for exactly once.
      expect(stats.sent + stats.failed + stats.dropped + stats.queued).toBe(seq);
      expect(stats.queued).toBe(0);
      expect(stats.dropped).toBeGreaterThan(0);
      expect(stats.failed).toBeGreaterThan(0);
      expect(delivered.size).toBe(stats.sent);
      expect(afterRecovery.every((s) => delivered.has(s))).toBe(true);
    },
  );
});
