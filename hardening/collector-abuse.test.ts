import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { request } from "node:http";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { type CollectorProcess, startCollectorProcess } from "./support/collector-process.js";
import { printFigures } from "./support/figures.js";
import { BROWSER_UA, batchBody, type PostResult, pageview, post, sleep } from "./support/post.js";

const FLOOD_CLIENT = fileURLToPath(new URL("./support/flood-client.mjs", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "tracklet-abuse-"));
let storeCount = 0;
const running: CollectorProcess[] = [];

async function collector(args: string[] = [], env: Record<string, string> = {}) {
  const store = join(dir, `store-${++storeCount}.sqlite`);
  const proc = await startCollectorProcess(["--store", store, ...args], env);
  running.push(proc);
  return { proc, store, collect: `${proc.url}/collect` };
}

afterEach(async () => {
  for (const proc of running.splice(0)) await proc.kill9();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function countSite(store: string, site: string): number {
  const db = new Database(store, { readonly: true });
  try {
    return (db.prepare("SELECT count(*) AS n FROM events WHERE site = ?").get(site) as { n: number }).n;
  } finally {
    db.close();
  }
}

/** Sends a body with `Transfer-Encoding: chunked` (no Content-Length), `total` bytes in 64 KB chunks. */
function postChunked(url: string, total: number, localAddress: string): Promise<PostResult> {
  return new Promise((resolve) => {
    const req = request(url, {
      method: "POST",
      agent: false,
      localAddress,
      headers: { "content-type": "text/plain", "user-agent": BROWSER_UA },
    });
    let done = false;
    const finish = (r: PostResult) => {
      if (!done) {
        done = true;
        resolve(r);
      }
    };
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        finish({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), headers: res.headers }),
      );
    });
    req.on("error", (e) => finish({ status: 0, body: "", headers: {}, error: e.message }));
    req.setTimeout(15_000, () => req.destroy(new Error("timed out")));
    const chunk = Buffer.alloc(64 * 1024, "a");
    let sent = 0;
    const pump = () => {
      while (sent < total && !done) {
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once("drain", pump);
          return;
        }
      }
      if (!done) req.end();
    };
    pump();
  });
}

describe("collector under abuse (tracklet-collector serve in a child process)", () => {
  it("answers every hostile body with a 4xx error and keeps serving", async () => {
    const { proc, collect } = await collector();
    const valid = JSON.stringify(pageview("abuse.example", 1));
    const deepArray = `{"batch":${"[".repeat(30_000)}${"]".repeat(30_000)}}`;
    // Built as text: JSON.stringify itself cannot serialise this depth.
    const deepProps = `${valid.slice(0, -1)},"props":${'{"a":'.repeat(5000)}1${"}".repeat(5000)}}`;
    const tenThousand = batchBody(Array.from({ length: 10_000 }, (_, i) => pageview("abuse.example", i)));
    const hundredOne = batchBody(
      Array.from({ length: 101 }, (_, i) => ({
        type: "pageview",
        site: "a.example",
        url: `https://a.example/${i}`,
      })),
    );
    const tenMb = Buffer.alloc(10 * 1024 * 1024, "a");
    type Case = {
      name: string;
      send: (localAddress: string) => Promise<PostResult>;
      status: number;
      code?: string;
      /** Refused before the client finished sending: a connection the server closed counts as refused. */
      mayCloseEarly?: boolean;
    };
    const body =
      (b: string | Buffer, headers: Record<string, string> = {}) =>
      (localAddress: string) =>
        post(collect, b, { localAddress, headers });
    const cases: Case[] = [
      { name: "malformed JSON", send: body('{"type":"pageview",'), status: 400, code: "invalid_json" },
      { name: "binary garbage", send: body(Buffer.from([0xff, 0xfe, 0x00, 0x81])), status: 400 },
      { name: "JSON null", send: body("null"), status: 400, code: "invalid_body" },
      { name: "JSON array", send: body("[]"), status: 400, code: "invalid_body" },
      { name: "JSON number 1e999", send: body("1e999"), status: 400, code: "invalid_body" },
      { name: "empty batch", send: body('{"batch":[]}'), status: 400, code: "invalid_body" },
      { name: "empty body", send: body(""), status: 400 },
      {
        name: "form content type",
        send: body(valid, { "content-type": "application/x-www-form-urlencoded" }),
        status: 415,
        code: "unsupported_media_type",
      },
      {
        name: "multipart content type",
        send: body(valid, { "content-type": "multipart/form-data; boundary=x" }),
        status: 415,
        code: "unsupported_media_type",
      },
      {
        name: "image content type",
        send: body(valid, { "content-type": "image/png" }),
        status: 415,
        code: "unsupported_media_type",
      },
      { name: "30,000-deep array nesting", send: body(deepArray), status: 400 },
      { name: "5,000-deep object in props", send: body(deepProps), status: 400, code: "nested_prop" },
      { name: "10,000-event batch", send: body(tenThousand), status: 413 },
      { name: "101-event batch", send: body(hundredOne), status: 413, code: "too_many_events" },
      {
        name: "10 MB body with Content-Length",
        send: body(tenMb),
        status: 413,
        code: "body_too_large",
        mayCloseEarly: true,
      },
      {
        name: "10 MB chunked body",
        send: (localAddress) => postChunked(collect, 10 * 1024 * 1024, localAddress),
        status: 413,
        code: "body_too_large",
        mayCloseEarly: true,
      },
      {
        name: "Content-Length that lies (says 10, sends 20)",
        send: (localAddress) =>
          post(collect, `${valid.slice(0, 20)}`, { localAddress, headers: { "content-length": "10" } }),
        status: 400,
      },
      { name: "32 KB header", send: body(valid, { "x-junk": "j".repeat(32 * 1024) }), status: 431 },
    ];
    const rows: Array<[string, string]> = [];
    const rssBefore = proc.rssMb();
    let i = 0;
    for (const c of cases) {
      // Each case from its own loopback address, so the rate limiter is not what answers.
      const started = performance.now();
      const res = await c.send(`127.0.1.${++i}`);
      const ms = Math.round(performance.now() - started);
      rows.push([
        c.name,
        `${res.status || "connection closed"}${res.error ? ` (${res.error})` : ""} in ${ms} ms`,
      ]);
      if (c.mayCloseEarly && res.status === 0) {
        // The 413 went out and the socket closed while 10 MB were still on their way (RFC 9112 §9.6 risk).
        expect(res.error, c.name).toMatch(/EPIPE|ECONNRESET|socket hang up/);
        expect(ms, c.name).toBeLessThan(5000);
        continue;
      }
      expect(res.status, `${c.name}: ${res.error ?? res.body.slice(0, 200)}`).toBe(c.status);
      if (c.code && res.body) expect(JSON.parse(res.body).error.code, c.name).toBe(c.code);
    }
    const health = await fetch(`${proc.url}/healthz`);
    expect(health.status).toBe(200);
    const ok = await post(collect, valid, { localAddress: "127.0.1.200" });
    expect(ok.status).toBe(202);
    rows.push(["RSS before → after", `${rssBefore} MB → ${proc.rssMb()} MB`]);
    printFigures("hostile request bodies", rows);
    expect(proc.child.exitCode).toBeNull();
  });

  it("cuts off slow headers and slow bodies (slowloris) while others are served", async () => {
    const { proc, collect } = await collector(["--request-timeout", "2000"]);
    const opened = performance.now();
    const closedAfter: number[] = [];
    const sockets: Socket[] = [];
    const trickle = (socket: Socket, text: string) => {
      let i = 0;
      const timer = setInterval(() => {
        if (socket.destroyed || i >= text.length) return clearInterval(timer);
        socket.write(text[i++] as string);
      }, 250);
      socket.once("close", () => clearInterval(timer));
    };
    const { port } = new URL(proc.url);
    for (let n = 0; n < 40; n++) {
      const socket = connect({ host: "127.0.0.1", port: Number(port), localAddress: `127.0.2.${n + 1}` });
      socket.on("error", () => {});
      socket.on("data", () => {});
      socket.once("close", () => closedAfter.push(performance.now() - opened));
      sockets.push(socket);
      const headers =
        `POST /collect HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n` +
        `User-Agent: ${BROWSER_UA}\r\nContent-Length: 100000\r\n\r\n`;
      if (n % 2 === 0) {
        // Slow headers: one byte every 250 ms, never finishing.
        socket.once("connect", () => trickle(socket, headers));
      } else {
        // Complete headers, then a body that trickles in.
        socket.once("connect", () => {
          socket.write(headers);
          trickle(socket, "x".repeat(100_000));
        });
      }
    }
    // Meanwhile, an ordinary client is served.
    let served = 0;
    const deadline = performance.now() + 4000;
    let seq = 0;
    while (performance.now() < deadline) {
      const res = await post(collect, JSON.stringify(pageview("fine.example", ++seq)), {
        localAddress: "127.0.3.1",
      });
      if (res.status === 202) served++;
      await sleep(100);
    }
    const waitUntil = performance.now() + 10_000;
    while (closedAfter.length < sockets.length && performance.now() < waitUntil) await sleep(100);
    for (const s of sockets) s.destroy();
    const slowest = Math.max(...closedAfter);
    printFigures("slow clients (request timeout 2 s)", [
      ["slow connections opened", sockets.length],
      ["closed by the server", closedAfter.length],
      ["slowest cut off after", `${(slowest / 1000).toFixed(1)} s`],
      ["ordinary requests served meanwhile", `${served}/${seq}`],
    ]);
    expect(closedAfter.length).toBe(sockets.length);
    expect(slowest).toBeLessThan(8000);
    expect(served).toBe(seq);
    expect(proc.child.exitCode).toBeNull();
  });

  it("limits a flood from one address (spoofed X-Forwarded-For included) while others keep flowing", async () => {
    // A tighter limit than the default 20/s (burst 100), so the flood outruns it even on a busy machine.
    const { perSecond: limit, burst } = { perSecond: 5, burst: 20 };
    const { proc, store, collect } = await collector([], {
      TRACKLET__COLLECTOR__RATE_LIMIT: `${limit}/${burst}`,
    });
    const durationMs = 3000;
    const maxFloodRequests = 30_000;
    const rss: number[] = [proc.rssMb()];
    const sampler = setInterval(() => rss.push(proc.rssMb()), 200);
    /** The flood runs in its own process: it must not slow down the clients measured here. */
    const flood = () =>
      new Promise<{ sent: number; seconds: number; statuses: Record<string, number> }>((resolve, reject) => {
        const child = spawn(
          process.execPath,
          [FLOOD_CLIENT, collect, String(durationMs), "16", String(maxFloodRequests)],
          { stdio: ["ignore", "pipe", "inherit"] },
        );
        let out = "";
        child.stdout.on("data", (c: Buffer) => {
          out += c.toString();
        });
        child.once("error", reject);
        child.once("exit", () => {
          try {
            resolve(JSON.parse(out));
          } catch {
            reject(new Error(`flood client printed ${JSON.stringify(out)}`));
          }
        });
      });
    const others = 5;
    /** Five well-behaved clients (own addresses, 4 requests/s each, under the limit, 10 events each) for `ms`. */
    const runOthers = async (ms: number, seqBase: number) => {
      const result = { sent: 0, accepted: 0, latencies: [] as number[], seconds: 0 };
      const from = performance.now();
      await Promise.all(
        Array.from({ length: others }, async (_, client) => {
          let seq = seqBase + client * 100_000;
          while (performance.now() - from < ms) {
            const events = Array.from({ length: 10 }, () => pageview("others.example", ++seq));
            const t = performance.now();
            const res = await post(collect, batchBody(events), { localAddress: `127.0.0.${client + 2}` });
            result.latencies.push(performance.now() - t);
            result.sent += events.length;
            if (res.status === 202) result.accepted += events.length;
            await sleep(250);
          }
        }),
      );
      result.seconds = (performance.now() - from) / 1000;
      result.latencies.sort((a, b) => a - b);
      return result;
    };
    const baseline = await runOthers(1500, 0);
    const [otherEvents, flooded] = await Promise.all([runOthers(durationMs, 5_000_000), flood()]);
    const elapsed = flooded.seconds;
    const floodSent = flooded.sent;
    const floodStatus = new Map(Object.entries(flooded.statuses).map(([k, v]) => [Number(k), v]));
    clearInterval(sampler);
    const health = (await (await fetch(`${proc.url}/healthz`)).json()) as { ok: boolean };
    expect(health.ok).toBe(true);
    expect(await proc.stop()).toBe(0);
    const stored = countSite(store, "others.example");
    const p = (latencies: number[], q: number) =>
      Math.round(latencies[Math.floor(q * (latencies.length - 1))] ?? 0);
    const perSecond = (r: { accepted: number; seconds: number }) => Math.round(r.accepted / r.seconds);
    const accepted = floodStatus.get(202) ?? 0;
    printFigures("flood from one address", [
      [
        "flood requests (16 connections)",
        `${floodSent} in ${elapsed.toFixed(1)} s (${Math.round(floodSent / elapsed)}/s)`,
      ],
      ["rate limit (per address)", `${limit}/s, burst ${burst}`],
      ["flood answers", [...floodStatus].map(([s, n]) => `${s}: ${n}`).join(", ")],
      ["others (5 addresses) events accepted", `${otherEvents.accepted}/${otherEvents.sent}`],
      [
        "others throughput: alone → during flood",
        `${perSecond(baseline)} → ${perSecond(otherEvents)} events/s (${Math.round((100 * perSecond(otherEvents)) / perSecond(baseline))} %)`,
      ],
      [
        "others latency p50/p99: alone → during flood",
        `${p(baseline.latencies, 0.5)}/${p(baseline.latencies, 0.99)} → ${p(otherEvents.latencies, 0.5)}/${p(otherEvents.latencies, 0.99)} ms`,
      ],
      ["others stored after stop", stored],
      ["collector RSS baseline → peak", `${rss[0]} MB → ${Math.max(...rss)} MB`],
    ]);
    // The burst plus the sustained rate is all one address may get, whatever X-Forwarded-For says.
    const allowance = burst + Math.ceil(elapsed * limit);
    expect(accepted).toBeLessThanOrEqual(allowance + limit);
    expect(floodSent).toBeGreaterThan(2 * allowance);
    expect(floodStatus.get(429) ?? 0).toBe(floodSent - accepted);
    expect([...floodStatus.keys()].filter((s) => s !== 202 && s !== 429)).toEqual([]);
    expect(baseline.accepted).toBe(baseline.sent);
    expect(otherEvents.accepted).toBe(otherEvents.sent);
    expect(stored).toBe(baseline.accepted + otherEvents.accepted);
    expect(Math.max(...rss) - (rss[0] as number)).toBeLessThan(200);
  });

  it("with TRACKLET_TRUST_PROXY=loopback, each X-Forwarded-For client has its own bucket", async () => {
    const { collect } = await collector([], { TRACKLET_TRUST_PROXY: "loopback" });
    const from = (ip: string, n: number) =>
      post(collect, JSON.stringify(pageview("proxied.example", n)), { headers: { "x-forwarded-for": ip } });
    const statuses: number[] = [];
    // 250 requests at once: more than the burst of 100 plus what refills meanwhile.
    for (let round = 0; round < 5; round++) {
      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, n) => from("203.0.113.7", round * 50 + n)),
      );
      statuses.push(...answers.map((a) => a.status));
    }
    expect(statuses).toContain(429);
    expect((await from("203.0.113.8", 1000)).status).toBe(202);
  });
});
