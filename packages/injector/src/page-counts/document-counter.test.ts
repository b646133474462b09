import type { IncomingMessage } from "node:http";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  DOCUMENTS_PER_HANDOVER,
  type DocumentCount,
  DocumentCounter,
  MAX_DOCUMENT_KEYS,
  OTHER_PATH,
} from "./document-counter.js";

const CHROME =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const HOUR = 3_600_000;
const T0 = Date.parse("2026-06-15T10:00:00Z");

const page = (url: string, host = "shop.example", headers: Record<string, string> = {}) =>
  ({ method: "GET", url, headers: { host, "user-agent": CHROME, ...headers } }) as IncomingMessage;

function counter(
  sink: (counts: DocumentCount[]) => void | Promise<void>,
  clock: { now: number },
  site?: string,
) {
  return new DocumentCounter({ sink, site, now: () => clock.now, onError: vi.fn() });
}

const sorted = (rows: DocumentCount[]) =>
  [...rows].sort((a, b) => a.hour - b.hour || a.site.localeCompare(b.site) || a.path.localeCompare(b.path));

afterEach(() => vi.useRealTimers());

describe("DocumentCounter", () => {
  it("sums pages per site, path and UTC hour, and hands each sum over once", async () => {
    const got: DocumentCount[][] = [];
    const clock = { now: T0 + 5 * 60_000 };
    const c = counter((rows) => void got.push(rows), clock);
    c.count(page("/"));
    c.count(page("/?utm_source=x"));
    c.count(page("/pricing"));
    c.count(page("/", "blog.example"));
    c.count(page("/", "shop.example", { "sec-fetch-dest": "image" }));
    clock.now = T0 + HOUR + 1;
    c.count(page("/"));
    await c.flush();
    await c.flush();
    expect(got).toHaveLength(1);
    expect(sorted(got[0] ?? [])).toEqual([
      { site: "blog.example", path: "/", hour: T0, count: 1 },
      { site: "shop.example", path: "/", hour: T0, count: 2 },
      { site: "shop.example", path: "/pricing", hour: T0, count: 1 },
      { site: "shop.example", path: "/", hour: T0 + HOUR, count: 1 },
    ]);
    await c.close();
  });

  it("uses the configured site id instead of the hostname", async () => {
    const got: DocumentCount[] = [];
    const c = counter((rows) => void got.push(...rows), { now: T0 }, "shop");
    c.count(page("/a", "www.shop.example"));
    await c.close();
    expect(got).toEqual([{ site: "shop", path: "/a", hour: T0, count: 1 }]);
  });

  it("keeps the counts when the sink fails and hands them over with the next ones", async () => {
    let fail = true;
    const got: DocumentCount[] = [];
    const onError = vi.fn();
    const c = new DocumentCounter({
      sink: async (rows) => {
        if (fail) throw new Error("collector down");
        got.push(...rows);
      },
      now: () => T0,
      onError,
    });
    c.count(page("/"));
    await c.flush();
    expect(onError).toHaveBeenCalledTimes(1);
    fail = false;
    c.count(page("/"));
    await c.close();
    expect(got).toEqual([{ site: "shop.example", path: "/", hour: T0, count: 2 }]);
  });

  it("hands large counts over in parts, and keeps only the parts the sink did not take", async () => {
    let calls = 0;
    const got: DocumentCount[][] = [];
    const c = new DocumentCounter({
      sink: (rows) => {
        calls++;
        if (calls === 2) throw new Error("collector down");
        got.push(rows);
      },
      now: () => T0,
      onError: vi.fn(),
    });
    for (let i = 0; i < DOCUMENTS_PER_HANDOVER + 10; i++) c.count(page(`/p/${i}`));
    await c.flush();
    await c.flush();
    expect(got.map((rows) => rows.length)).toEqual([DOCUMENTS_PER_HANDOVER, 10]);
    const paths = got.flat().map((r) => r.path);
    expect(new Set(paths).size).toBe(DOCUMENTS_PER_HANDOVER + 10);
  });

  it("counts paths beyond its key limit under one path, so memory stays bounded", async () => {
    const got: DocumentCount[] = [];
    const c = counter((rows) => void got.push(...rows), { now: T0 });
    for (let i = 0; i < MAX_DOCUMENT_KEYS + 5; i++) c.count(page(`/item/${i}`));
    await c.close();
    expect(got).toHaveLength(MAX_DOCUMENT_KEYS + 1);
    expect(got.find((r) => r.path === OTHER_PATH)?.count).toBe(5);
    expect(got.reduce((n, r) => n + r.count, 0)).toBe(MAX_DOCUMENT_KEYS + 5);
  });

  it("hands the counts over on its own every intervalMs", async () => {
    vi.useFakeTimers({ now: T0 });
    const got: DocumentCount[] = [];
    const c = new DocumentCounter({
      sink: (rows) => void got.push(...rows),
      intervalMs: 1000,
      onError: vi.fn(),
    });
    c.count(page("/"));
    await vi.advanceTimersByTimeAsync(1000);
    expect(got).toEqual([{ site: "shop.example", path: "/", hour: T0, count: 1 }]);
    await c.close();
  });
});
