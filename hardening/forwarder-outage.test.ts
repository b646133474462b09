import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  type BatchQueueTuning,
  type CollectedEvent,
  type Destination,
  ga4Destination,
  segmentDestination,
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

/** The two real forwarding destinations, pointed at the local endpoint. */
const FORWARDERS = {
  segment: (url: string, queue: BatchQueueTuning) =>
    segmentDestination({
      writeKey: "wk_hardening",
      endpoint: url,
      queue,
      timeoutMs: 2000,
      onError: () => {},
    }),
  ga4: (url: string, queue: BatchQueueTuning) =>
    ga4Destination({
      measurementId: "G-HARDENING1",
      apiSecret: "secret",
      endpoint: url,
      queue,
      timeoutMs: 2000,
      onError: () => {},
    }),
} as const;

/** One custom event numbered `seq`, as the pipeline hands it to destinations. */
const event = (seq: number): CollectedEvent => ({
  row: {
    site: "hardening.test",
    type: "event",
    name: "invoice_paid",
    ts: Date.now(),
    clientTs: null,
    url: "https://hardening.test/billing",
    path: "/billing",
    title: null,
    referrer: null,
    referrerSource: null,
    utmSource: null,
    utmMedium: null,
    utmCampaign: null,
    visitorId: "visitor-1",
    sessionId: "session-1",
    userId: null,
    browser: null,
    os: null,
    device: null,
    engagedMs: null,
    props: { seq },
  },
  userAgent: null,
  locale: null,
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
      const forwarder: Destination = FORWARDERS[kind](endpoint.url, {
        flushAt: 10,
        flushIntervalMs: 50,
        capacity: 1000,
        maxRetries: 40,
        retryBaseMs: 50,
        retryMaxMs: 400,
        closeTimeoutMs: 1000,
      });
      cleanup.push(() => forwarder.close(), endpoint.close);
      let seq = 0;
      for (; seq < 50; seq++) forwarder.accept([event(seq)]);
      await forwarder.flush();
      expect(endpoint.delivered.length).toBe(50);

      const outageStart = performance.now();
      await endpoint.setMode("down");
      let maxQueued = 0;
      for (let i = 0; i < 100; i++) {
        if (i === 50) await endpoint.setMode("error");
        forwarder.accept([event(seq++)]);
        maxQueued = Math.max(maxQueued, forwarder.metrics().queued);
        await sleep(30);
      }
      const outageMs = performance.now() - outageStart;
      await endpoint.setMode("up");
      const back = performance.now();
      await forwarder.flush();
      const recoveredMs = performance.now() - back;
      const stats = forwarder.metrics();
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
      expect(stats).toMatchObject({ delivered: 150, failed: 0, dropped: 0, queued: 0 });
      expect(stats.retries).toBeGreaterThan(0);
    },
  );

  it.each(["segment", "ga4"] as const)(
    "%s: keeps a bounded queue through a long outage, counts every loss, and recovers with the newest events",
    async (kind) => {
      const endpoint = await switchableEndpoint();
      const capacity = 40;
      const forwarder: Destination = FORWARDERS[kind](endpoint.url, {
        flushAt: 10,
        flushIntervalMs: 50,
        capacity,
        maxRetries: 2,
        retryBaseMs: 50,
        retryMaxMs: 200,
        closeTimeoutMs: 1000,
      });
      cleanup.push(() => forwarder.close(), endpoint.close);
      await endpoint.setMode("down");
      let seq = 0;
      let maxQueued = 0;
      const outageStart = performance.now();
      // Bursts of 100 (more than twice the capacity) every 300 ms: batches fail after their retries, and the
      // oldest waiting events are dropped to make room.
      for (let burst = 0; burst < 6; burst++) {
        if (burst === 3) await endpoint.setMode("error");
        for (let i = 0; i < 100; i++) {
          forwarder.accept([event(seq++)]);
          maxQueued = Math.max(maxQueued, forwarder.metrics().queued);
        }
        await sleep(300);
      }
      const outageMs = performance.now() - outageStart;
      await endpoint.setMode("up");
      const back = performance.now();
      const afterRecovery: number[] = [];
      for (let i = 0; i < 20; i++) {
        afterRecovery.push(seq);
        forwarder.accept([event(seq++)]);
      }
      await forwarder.flush();
      const recoveredMs = performance.now() - back;
      const stats = forwarder.metrics();
      const delivered = new Set(endpoint.delivered);

      printFigures(`forwarder outage beyond the retry budget (${kind}, capacity 40, 2 retries)`, [
        ["outage (refused, then 500)", `${Math.round(outageMs)} ms`],
        ["events sent (6 bursts of 100, then 20 after)", seq],
        ["most events queued", maxQueued],
        ["sent / failed / dropped", `${stats.delivered} / ${stats.failed} / ${stats.dropped}`],
        [
          "events sent after recovery, delivered",
          `${afterRecovery.filter((s) => delivered.has(s)).length}/20`,
        ],
        ["recovered in", `${Math.round(recoveredMs)} ms`],
      ]);
      // Bounded: the capacity counts the batch in flight or waiting for its retry too.
      expect(maxQueued).toBeLessThanOrEqual(capacity);
      // Every event is accounted for exactly once.
      expect(stats.delivered + stats.failed + stats.dropped + stats.queued).toBe(seq);
      expect(stats.queued).toBe(0);
      expect(stats.dropped).toBeGreaterThan(0);
      expect(stats.failed).toBeGreaterThan(0);
      expect(delivered.size).toBe(stats.delivered);
      expect(afterRecovery.every((s) => delivered.has(s))).toBe(true);
    },
  );
});
