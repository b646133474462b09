import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { SPA_SETTLE_MS } from "./core.js";
import { HISTORY_EVENT, patchHistory } from "./history.js";
import type { Tracker, TrackerOptions } from "./options.js";
import { createTracker } from "./tracker.js";
import { WIRE_LIMITS, type WireEvent } from "./wire.js";

const ENDPOINT = "https://collector.test/api/event";
let sent: WireEvent[];
let trackers: Tracker[];

const start = (options: TrackerOptions = {}) => {
  const t = createTracker({ endpoint: ENDPOINT, automation: true, engagement: false, ...options });
  trackers.push(t);
  return t;
};
/** Lets the history settle timer fire and every queued request start. */
const settle = async (t: Tracker) => {
  await vi.advanceTimersByTimeAsync(SPA_SETTLE_MS + 10);
  await t.flush();
};
/** A `pageshow` event; built by hand because not every DOM implementation honours `persisted` in the init. */
const pageshow = (persisted: boolean) => Object.assign(new Event("pageshow"), { persisted });
const pageviews = () => sent.filter((e) => e.type === "pageview");

beforeEach(() => {
  vi.useFakeTimers();
  history.replaceState(null, "", "/start");
  document.title = "Start";
  sent = [];
  trackers = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (_url: string, init: RequestInit) => {
      const body = JSON.parse(init.body as string);
      sent.push(...(body.batch ?? [body]));
      return new Response(null, { status: 202 });
    }),
  );
});

afterEach(() => {
  for (const t of trackers) t.destroy();
  vi.unstubAllGlobals();
  vi.useRealTimers();
  localStorage.clear();
});

describe("pageviews", () => {
  it("sends the initial pageview with title and masked URL", async () => {
    history.replaceState(null, "", "/start?token=abc&q=1");
    const t = start();
    await settle(t);
    expect(pageviews()).toEqual([
      expect.objectContaining({
        type: "pageview",
        url: `${location.origin}/start?token=*&q=1`,
        title: "Start",
      }),
    ]);
  });

  it("clips the title to its wire limit and sends no screen width", async () => {
    document.title = "t".repeat(1000);
    const t = start();
    await settle(t);
    expect(pageviews()[0]?.title).toHaveLength(WIRE_LIMITS.maxTitleLength);
    expect(pageviews()[0]).not.toHaveProperty("sw");
  });

  it("counts one pageview per navigation when pushState and popstate both fire", async () => {
    const t = start();
    await settle(t);
    history.pushState(null, "", "/next");
    dispatchEvent(new PopStateEvent("popstate"));
    await settle(t);
    expect(pageviews().map((e) => e.url)).toEqual([`${location.origin}/start`, `${location.origin}/next`]);
  });

  it("uses the previous SPA URL as referrer and reads the title after the router set it", async () => {
    const t = start();
    await settle(t);
    history.pushState(null, "", "/a");
    document.title = "Page A";
    await settle(t);
    expect(pageviews()[1]).toMatchObject({
      url: `${location.origin}/a`,
      referrer: `${location.origin}/start`,
      title: "Page A",
    });
  });

  it("ignores replaceState that keeps the path, and counts one that changes it", async () => {
    const t = start();
    await settle(t);
    history.replaceState(null, "", "/start?filter=red");
    await settle(t);
    expect(pageviews()).toHaveLength(1);
    history.replaceState(null, "", "/login");
    await settle(t);
    expect(pageviews().map((e) => e.url)).toEqual([`${location.origin}/start`, `${location.origin}/login`]);
  });

  it("collapses a redirect burst into one pageview of where it ended", async () => {
    const t = start();
    await settle(t);
    history.pushState(null, "", "/old");
    history.replaceState(null, "", "/new");
    await settle(t);
    expect(pageviews().map((e) => e.url)).toEqual([`${location.origin}/start`, `${location.origin}/new`]);
  });

  it("in hash mode counts hashchange and pushState-driven hash routes once each", async () => {
    const t = start({ hash: true });
    await settle(t);
    history.pushState(null, "", "/start#/users");
    dispatchEvent(new HashChangeEvent("hashchange"));
    await settle(t);
    location.hash = "#/settings";
    dispatchEvent(new HashChangeEvent("hashchange"));
    await settle(t);
    expect(pageviews().map((e) => e.url)).toEqual([
      `${location.origin}/start`,
      `${location.origin}/start#/users`,
      `${location.origin}/start#/settings`,
    ]);
  });

  it("ignores hash changes when hash routing is off", async () => {
    const t = start();
    await settle(t);
    history.pushState(null, "", "/start#section");
    await settle(t);
    expect(pageviews()).toHaveLength(1);
  });

  it("marks only the document's first pageview as first: not SPA navigations, not a bfcache restore", async () => {
    const t = start();
    await settle(t);
    history.pushState(null, "", "/next");
    await settle(t);
    dispatchEvent(pageshow(true));
    await settle(t);
    expect(pageviews().map((e) => e.type === "pageview" && e.first)).toEqual([true, false, false]);
  });

  it("marks the first pageview of a page loaded hidden when it is first shown", async () => {
    const visibility = vi.spyOn(document, "visibilityState", "get").mockReturnValue("hidden");
    const t = start();
    await settle(t);
    expect(pageviews()).toHaveLength(0);
    visibility.mockReturnValue("visible");
    dispatchEvent(new Event("visibilitychange"));
    await settle(t);
    expect(pageviews().map((e) => e.type === "pageview" && e.first)).toEqual([true]);
  });

  it("counts a bfcache restore even though the URL did not change", async () => {
    const t = start();
    await settle(t);
    dispatchEvent(pageshow(true));
    dispatchEvent(pageshow(false));
    await settle(t);
    expect(pageviews()).toHaveLength(2);
    // The visitor came back to this page: it is the referrer, not the document's original referrer again.
    expect(pageviews()[1]?.referrer).toBe(`${location.origin}/start`);
  });

  it("applies include/exclude patterns to pageviews", async () => {
    const t = start({ exclude: "/admin*" });
    await settle(t);
    history.pushState(null, "", "/admin/users");
    await settle(t);
    history.pushState(null, "", "/shop");
    await settle(t);
    expect(pageviews().map((e) => new URL(e.url).pathname)).toEqual(["/start", "/shop"]);
  });

  it("sends nothing automatically in manual mode", async () => {
    const t = start({ auto: false });
    history.pushState(null, "", "/x");
    await settle(t);
    expect(sent).toEqual([]);
    t.pageview({ url: "/virtual?email=a@b.c" });
    await settle(t);
    expect(pageviews()[0]?.url).toBe(`${location.origin}/virtual?email=*`);
  });
});

describe("events, contexts and callbacks", () => {
  it("merges nested contexts into events, inner and own props winning", async () => {
    const t = start({ auto: false });
    t.enterContext("course", { course: "cs50", level: 1 });
    t.withContext("video", { level: 2, video: "intro" }, () => t.track("Play", { props: { video: "own" } }));
    t.exitContext("course");
    t.track("After");
    await settle(t);
    expect(sent[0]).toMatchObject({
      type: "event",
      name: "Play",
      props: { course: "cs50", level: 2, video: "own" },
    });
    expect(sent[1]).toMatchObject({ name: "After" });
    expect(sent[1]?.props).toBeUndefined();
  });

  it("calls the callback with the HTTP status", async () => {
    const t = start({ auto: false });
    const callback = vi.fn();
    t.track("Signup", { callback });
    await settle(t);
    expect(callback).toHaveBeenCalledWith({ status: 202 });
  });
});

describe("privacy", () => {
  it.each([
    ["the opt-out flag", () => localStorage.setItem("tracklet_ignore", "true")],
    [
      "Global Privacy Control",
      () => vi.stubGlobal("navigator", { ...navigator, globalPrivacyControl: true }),
    ],
    ["Do Not Track", () => vi.stubGlobal("navigator", { ...navigator, doNotTrack: "1" })],
  ])("sends nothing with %s, still calling callbacks", async (_name, arrange) => {
    arrange();
    const t = start({ auto: false });
    const callback = vi.fn();
    t.track("Signup", { callback });
    await settle(t);
    expect(sent).toEqual([]);
    expect(callback).toHaveBeenCalledWith();
  });

  it("ignores automation unless allowed", async () => {
    vi.stubGlobal("navigator", { ...navigator, webdriver: true });
    const t = createTracker({ endpoint: ENDPOINT, auto: false });
    trackers.push(t);
    t.track("Bot");
    await settle(t);
    expect(sent).toEqual([]);
  });
});

describe("transport", () => {
  it("posts a text/plain body (no CORS preflight) with keepalive", async () => {
    const t = start({ auto: false });
    t.track("X");
    await settle(t);
    const [url, init] = vi.mocked(fetch).mock.calls[0] ?? [];
    expect(init).toMatchObject({ method: "POST", keepalive: true });
    // What the browser would send: a string body is labelled text/plain by fetch itself.
    const request = new Request(url as string, init);
    expect(request.headers.get("content-type")).toMatch(/^text\/plain\b/);
    expect(JSON.parse(await request.text())).toMatchObject({ type: "event", name: "X" });
  });

  it("falls back to sendBeacon when fetch throws", async () => {
    vi.stubGlobal("fetch", () => {
      throw new TypeError("blocked");
    });
    const beacon = vi.fn(() => true);
    vi.stubGlobal("navigator", { ...navigator, sendBeacon: beacon });
    const t = start({ auto: false });
    const callback = vi.fn();
    t.track("X", { callback });
    await settle(t);
    expect(beacon).toHaveBeenCalledWith(ENDPOINT, expect.stringContaining('"name":"X"'));
    expect(callback).toHaveBeenCalledWith({ status: 0 });
  });

  it("reports the error when fetch and sendBeacon are both missing, without throwing", async () => {
    vi.stubGlobal("fetch", undefined);
    vi.stubGlobal("navigator", { ...navigator, sendBeacon: undefined });
    const t = start({ auto: false });
    const callback = vi.fn();
    expect(() => t.track("X", { callback })).not.toThrow();
    await settle(t);
    expect(callback).toHaveBeenCalledWith({ error: expect.any(Error) });
  });

  it("uses sendBeacon first when the page hides", async () => {
    const beacon = vi.fn(() => true);
    vi.stubGlobal("navigator", { ...navigator, sendBeacon: beacon });
    const t = start();
    await settle(t);
    history.pushState(null, "", "/leaving");
    dispatchEvent(new PageTransitionEvent("pagehide"));
    await t.flush();
    expect(beacon).toHaveBeenCalledWith(ENDPOINT, expect.stringContaining("/leaving"));
  });

  it("sends nothing itself in bridge-only mode but still forwards SPA pageviews", async () => {
    const page = vi.fn();
    vi.stubGlobal("analytics", { page });
    const t = start({ endpoint: "none", bridge: true });
    await settle(t);
    history.pushState(null, "", "/spa");
    await settle(t);
    expect(fetch).not.toHaveBeenCalled();
    expect(page).toHaveBeenCalledTimes(1);
  });
});

describe("engagement", () => {
  const engagements = () => sent.filter((e) => e.type === "engagement");
  beforeEach(() => {
    vi.spyOn(document, "hasFocus").mockReturnValue(true);
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("reports engaged time for the page being left when the route changes", async () => {
    const t = start({ engagement: true });
    await settle(t);
    await vi.advanceTimersByTimeAsync(5000);
    history.pushState(null, "", "/next");
    await settle(t);
    expect(engagements()).toEqual([
      expect.objectContaining({ type: "engagement", url: `${location.origin}/start` }),
    ]);
    expect((engagements()[0] as { engagedMs: number }).engagedMs).toBeGreaterThanOrEqual(5000);
    expect(pageviews().map((e) => e.url)).toEqual([`${location.origin}/start`, `${location.origin}/next`]);
  });

  it("reports engaged time with sendBeacon when the page hides", async () => {
    const beacon = vi.fn(() => true);
    vi.stubGlobal("navigator", { ...navigator, sendBeacon: beacon });
    const t = start({ engagement: true });
    await settle(t);
    await vi.advanceTimersByTimeAsync(3000);
    dispatchEvent(new PageTransitionEvent("pagehide"));
    await t.flush();
    const body = JSON.parse((beacon.mock.calls[0] as unknown as [string, string])[1]);
    expect(body).toMatchObject({ type: "engagement", url: `${location.origin}/start` });
    expect(body.engagedMs).toBeGreaterThanOrEqual(3000);
  });

  it("does not count time while the page has no focus", async () => {
    vi.mocked(document.hasFocus).mockReturnValue(false);
    const t = start({ engagement: true });
    await settle(t);
    await vi.advanceTimersByTimeAsync(5000);
    history.pushState(null, "", "/next");
    await settle(t);
    expect(engagements()).toEqual([]);
  });
});

describe("clicks", () => {
  const click = (attrs: Record<string, string>) => {
    const a = document.createElement("a");
    for (const [k, v] of Object.entries(attrs)) a.setAttribute(k, v);
    document.body.append(a);
    a.dispatchEvent(new MouseEvent("click", { bubbles: true, cancelable: true }));
    a.remove();
  };
  const downloads = () =>
    sent
      .filter((e) => "name" in e && e.name === "File Download")
      .map((e) => new URL(String(e.props?.url)).pathname);

  it("matches download extensions case-insensitively, from the built-in list or the given one", async () => {
    const builtIn = start({ downloads: true, auto: false });
    click({ href: "/files/Report.PDF" });
    click({ href: "/files/notes.md" });
    await settle(builtIn);
    builtIn.destroy();
    const given = start({ downloads: "md, tar.gz", auto: false });
    click({ href: "/files/notes.md" });
    click({ href: "/files/dump.tar.gz" });
    click({ href: "/files/report.pdf" });
    await settle(given);
    expect(downloads()).toEqual(["/files/Report.PDF", "/files/notes.md", "/files/dump.tar.gz"]);
  });

  it("tracks no download for a list that is no pattern, and throws nothing into the page", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const t = start({ downloads: "c++", debug: true, auto: false });
    expect(() => click({ href: "/files/tool.c++" })).not.toThrow();
    await settle(t);
    expect(downloads()).toEqual([]);
    expect(log).toHaveBeenCalledWith("[tracklet]", expect.any(SyntaxError));
    log.mockRestore();
  });
});

describe("destroy", () => {
  it("removes the tracker's listeners, so later navigations and clicks are not tracked", async () => {
    const t = start({ outbound: true });
    await settle(t);
    t.destroy();
    history.pushState(null, "", "/after");
    dispatchEvent(new PopStateEvent("popstate"));
    const a = document.createElement("a");
    a.href = "https://elsewhere.test/";
    document.body.append(a);
    a.dispatchEvent(new MouseEvent("click", { bubbles: true, cancelable: true }));
    a.remove();
    await settle(t);
    expect(sent.map((e) => e.type)).toEqual(["pageview"]);
  });
});

describe("patchHistory", () => {
  it("is chain-safe and idempotent", () => {
    const calls: string[] = [];
    patchHistory();
    const ours = history.pushState;
    patchHistory();
    expect(history.pushState).toBe(ours);
    // Another library patching after us keeps working and sees our return value.
    history.pushState = function (this: History, ...args: Parameters<History["pushState"]>) {
      calls.push("other");
      return ours.apply(this, args);
    };
    const heard = vi.fn();
    addEventListener(HISTORY_EVENT, heard);
    history.pushState({ n: 1 }, "", "/chained");
    expect(calls).toEqual(["other"]);
    expect(heard).toHaveBeenCalledTimes(1);
    expect(location.pathname).toBe("/chained");
    expect(history.state).toEqual({ n: 1 });
    // replaceState is a navigation only when it changes the path or the hash.
    history.replaceState({ n: 2 }, "", "/chained?sort=asc");
    expect(heard).toHaveBeenCalledTimes(1);
    expect(history.state).toEqual({ n: 2 });
    history.replaceState(null, "", "/chained#/route");
    history.replaceState(null, "", "/renamed#/route");
    expect(heard).toHaveBeenCalledTimes(3);
    removeEventListener(HISTORY_EVENT, heard);
    history.pushState = ours;
  });
});

describe("SSR", () => {
  it("imports without touching window", async () => {
    const mod = await import("./index.js");
    expect(typeof mod.createTracker).toBe("function");
  });
});
