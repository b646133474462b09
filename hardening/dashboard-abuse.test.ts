import { mkdtempSync, rmSync } from "node:fs";
import { Agent } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { type CollectorProcess, startCollectorProcess } from "./support/collector-process.js";
import { printFigures } from "./support/figures.js";
import { fetchRaw } from "./support/http-client.js";
import { batchBody, pageview, post } from "./support/post.js";

const TOKEN = "hardening-dashboard-token";
const dir = mkdtempSync(join(tmpdir(), "tracklet-dashboard-abuse-"));
let storeCount = 0;
const running: CollectorProcess[] = [];

async function collector(args: string[] = []) {
  const store = join(dir, `store-${++storeCount}.sqlite`);
  const proc = await startCollectorProcess(["--store", store, "--token", TOKEN, ...args]);
  running.push(proc);
  return proc;
}

afterEach(async () => {
  for (const proc of running.splice(0)) await proc.kill9();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The `n`th case variant of `name` (bit i of n upper-cases letter i). */
function caseVariant(name: string, n: number): string {
  let bit = 0;
  return [...name]
    .map((c) => (/[a-z]/i.test(c) && (n >> bit++) & 1 ? c.toUpperCase() : c.toLowerCase()))
    .join("");
}

/** Runs `count` jobs, `concurrency` at a time. */
async function pool(count: number, concurrency: number, job: (i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await job(next++);
    }),
  );
}

describe("dashboard and stats API under hostile query values", () => {
  it("keep memory flat across 10,000 distinct time zone spellings", async () => {
    const proc = await collector();
    expect((await post(`${proc.url}/collect`, batchBody([pageview("shop.example", 1)]))).status).toBe(202);
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    const auth = { authorization: `Bearer ${TOKEN}` };
    const zones = ["America/Argentina/Buenos_Aires", "America/Los_Angeles", "Europe/Amsterdam"];
    const ask = async (i: number) => {
      const tz = encodeURIComponent(
        caseVariant(zones[i % zones.length] ?? "UTC", Math.floor(i / zones.length)),
      );
      const path = i % 2 === 0 ? `/api/stats?site=shop.example&tz=${tz}` : `/?site=shop.example&tz=${tz}`;
      const res = await fetchRaw(`${proc.url}${path}`, { headers: auth, agent });
      expect(res.status).toBe(200);
    };
    // Warm up with other spellings, so the caches are full before the first reading.
    await pool(2_000, 8, (i) => ask(i + 20_000));
    const before = proc.rssMb();
    const started = Date.now();
    await pool(10_000, 8, ask);
    const after = proc.rssMb();
    agent.destroy();
    printFigures("10,000 distinct tz spellings (stats API and dashboard)", [
      ["requests", 10_000],
      ["time", `${((Date.now() - started) / 1000).toFixed(1)} s`],
      ["RSS before → after", `${before} MB → ${after} MB`],
    ]);
    // Unbounded, each spelling kept a ~70 KB formatter: 10,000 of them would add about 700 MB.
    expect(after - before).toBeLessThan(40);
  });
});
