import { describe, expect, it } from "vitest";
import { emptyStatsResult, sampleStatsResult, XSS } from "../../test/dashboard/fixture.js";
import { formatDelta, formatDuration, renderDashboardPage, renderMessagePage } from "./render.js";
import { parseDashboardState } from "./state.js";
import { TABLES } from "./tables.js";

const parsed = parseDashboardState(
  { site: "shop.example", from: "2026-11-01", to: "2026-11-07" },
  { timezone: "UTC", limit: 10, now: new Date("2026-11-08T12:00:00Z") },
);
if (!parsed.ok) throw new Error("fixture state");
const state = parsed.state;

function page(overrides: Partial<Parameters<typeof renderDashboardPage>[0]> = {}) {
  return renderDashboardPage({
    title: "Shop KPIs",
    basePath: "/tracklet",
    state,
    site: "shop.example",
    sites: ["shop.example", "blog.example"],
    result: sampleStatsResult(),
    previous: null,
    statsApiHref: "/tracklet/api/stats?site=shop.example",
    nonce: "abc123",
    ...overrides,
  });
}

/** Text content of the element whose opening tag contains `marker`, tags stripped. */
function cardValue(html: string, metric: string): string {
  const m = new RegExp(
    `data-metric="${metric}"><span class="label">[^<]*</span><span class="value">([^<]*)<`,
  ).exec(html);
  return m?.[1] ?? "";
}

describe("renderDashboardPage", () => {
  const html = page();

  it("shows every total, active-user count and the live count", () => {
    expect(cardValue(html, "visitors")).toBe("12,345");
    expect(cardValue(html, "pageviews")).toBe("67,890");
    expect(cardValue(html, "sessions")).toBe("23,456");
    expect(cardValue(html, "events")).toBe("3,456");
    expect(cardValue(html, "bounce-rate")).toBe("42.1%");
    expect(cardValue(html, "avg-session")).toBe("3m 05s");
    expect(cardValue(html, "dau")).toBe("1,701");
    expect(cardValue(html, "wau")).toBe("7,702");
    expect(cardValue(html, "mau")).toBe("30,703");
    expect(html).toContain(
      '<span data-live="visitors">17</span> visitors and <span data-live="pageviews">29</span> pageviews',
    );
  });

  it("shows the Coverage figure and the coverage of each page", () => {
    expect(html).toContain('<span data-coverage="share">83.0%</span> of page loads reported');
    expect(html).toContain('<span data-coverage="reported">415</span> first pageviews of');
    expect(html).toContain('<span data-coverage="served">500</span> pages served');
    const coverage = TABLES.find((t) => t.id === "coverage");
    expect(coverage?.rows(sampleStatsResult())).toEqual([
      ["All pages", 500, 415, "83.0%"],
      ["/", 300, 270, "90.0%"],
      [expect.any(String), 200, 145, "72.5%"],
    ]);
  });

  it("leaves the Coverage figure and table out when the injector counted no page", () => {
    const without = page({ result: sampleStatsResult({ coverage: undefined }) });
    expect(without).not.toContain('id="coverage"');
    expect(without).not.toContain('id="table-coverage"');
  });

  it("has a section with a heading, a table and a CSV link for every table", () => {
    for (const table of TABLES) {
      if (table.id !== "event-props") {
        expect(html, table.id).toContain(`<h2 id="h-${table.id}">${table.title}</h2>`);
        expect(html, table.id).toContain(`id="table-${table.id}"`);
      }
      expect(html, table.id).toContain(
        `href="/tracklet/export/${table.id}.csv?site=shop.example&amp;from=2026-11-01`,
      );
    }
  });

  it("puts every row's numbers in the tables, with column and row headers", () => {
    for (const n of [
      "4,321",
      "2,109",
      "811",
      "733",
      "655",
      "577",
      "499",
      "421",
      "343",
      "265",
      "187",
      "1,031",
      "953",
      "875",
    ]) {
      expect(html).toContain(`<td class="num">${n}</td>`);
    }
    expect(html).toContain('<th scope="col" class="num">Pageviews</th>');
    expect(html).toContain('<th scope="row"><bdi>/pricing</bdi></th>');
    expect(html).toContain("<li><bdi>plan</bdi> = <bdi>pro</bdi>: 109</li>");
    // The series is in a visually hidden table as the chart's text alternative.
    expect(html).toMatch(
      /<div class="visually-hidden"><table id="table-series"[^>]*>.*<th scope="row"><bdi>2026-11-07T00:00:00\+00:00<\/bdi><\/th><td class="num">1,066<\/td><td class="num">5,606<\/td>/,
    );
  });

  it("renders hostile paths, props, referrers and user ids as inert text", () => {
    for (const payload of Object.values(XSS)) expect(html).not.toContain(payload);
    expect(html).toContain("/search&quot;&gt;&lt;script&gt;alert(&quot;path&quot;)&lt;/script&gt;");
    expect(html).toContain("&lt;img src=x onerror=alert(&#39;prop&#39;)&gt;");
    expect(html).toContain("&quot;&gt;&lt;svg onload=alert(1)&gt;");
    expect(html).not.toMatch(/href="javascript:/);
    // The only scripts are the one nonce'd inline script; no event handler attributes anywhere.
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).toContain('<script nonce="abc123">');
    expect(html).not.toMatch(/<[a-z][^>]*\son[a-z]+=/i);
  });

  it("has landmarks, one h1, labelled form controls and a skip link", () => {
    expect(html.match(/<h1>/g)).toHaveLength(1);
    for (const tag of [
      "<header>",
      '<main id="main">',
      "<footer>",
      'href="#main"',
      '<nav class="presets" aria-label="Quick ranges">',
    ]) {
      expect(html).toContain(tag);
    }
    for (const name of ["site", "range", "from", "to", "interval", "tz", "limit", "compare"]) {
      expect(html).toMatch(new RegExp(`<label for="f-${name}">[^<]+</label>`));
      expect(html).toMatch(new RegExp(`<(select|input)[^>]* id="f-${name}" name="${name}"`));
    }
    expect(html).toContain('<html lang="en">');
  });

  it("keeps the state in every link and marks the current preset", () => {
    expect(html).toContain(
      '<a href="/tracklet/?site=shop.example&amp;range=7d&amp;interval=day&amp;tz=UTC&amp;limit=10">Last 7 days</a>',
    );
    expect(page({ state: { ...state, range: "7d" } })).toContain('aria-current="page">Last 7 days</a>');
    expect(html).toContain('<a href="/tracklet/api/stats?site=shop.example">stats API</a>');
    expect(page({ statsApiHref: null })).not.toContain("stats API");
  });

  it("shows deltas against the previous period in text, not colour alone", () => {
    const previous = sampleStatsResult({
      totals: {
        visitors: 8000,
        pageviews: 67890,
        sessions: 0,
        events: 4000,
        bounceRate: 0.5,
        avgSessionSeconds: 185,
      },
    });
    const withCompare = page({ previous, state: { ...state, compare: true } });
    expect(withCompare).toContain(
      '<span class="delta up">▲ 54.3% <span class="visually-hidden">compared with </span>(previous: 8,000)</span>',
    );
    expect(withCompare).toContain(
      '<span class="delta down">▼ 13.6% <span class="visually-hidden">compared with </span>(previous: 4,000)</span>',
    );
    expect(withCompare).toContain('<span class="delta ">no change');
    expect(withCompare).toContain(">new <");
    // A lower bounce rate is shown in the "good" colour.
    expect(withCompare).toContain('<span class="delta up">▼ 7.9 pts');
    expect(withCompare).toContain("Pageviews, previous period");
    expect(withCompare).toContain(
      "2026-11-01 to 2026-11-07 (UTC, per day), compared with 2026-10-25 to 2026-10-31.",
    );
    expect(withCompare.match(/stroke-dasharray/g)).toHaveLength(2);
  });

  it("shows goals with their rate and change, and each funnel as a chart beside its table", () => {
    const goals = /<section aria-labelledby="h-goals".*?<\/section>/.exec(html)?.[0] ?? "";
    expect(goals).toContain(
      '<th scope="row"><bdi>signup</bdi></th><td><bdi>event:signup</bdi></td><td class="num">143</td><td class="num"><bdi>1.2%</bdi></td><td class="num">131</td><td class="num"><bdi>▲ 9.2%</bdi></td>',
    );
    // No conversions before.
    expect(goals).toContain('<td class="num">0</td><td class="num"><bdi>new</bdi></td>');
    const funnels = /<section aria-labelledby="h-funnels".*?<\/section>/.exec(html)?.[0] ?? "";
    expect(funnels).toContain(
      '<figure class="funnel" data-funnel="checkout"><figcaption>checkout</figcaption><svg',
    );
    expect(funnels).toContain(
      "3. event:Purchase: 97 visitors (10.6% of step 1); 24.9% of step 2, 292 dropped off.",
    );
    expect(funnels).toContain(
      '<th scope="row"><bdi>checkout</bdi></th><td class="num">3</td><td><bdi>event:Purchase</bdi></td><td class="num">97</td><td class="num"><bdi>24.9%</bdi></td><td class="num"><bdi>10.6%</bdi></td><td class="num">292</td>',
    );
  });

  it("shows an empty state per table instead of empty tables", () => {
    const empty = page({ result: emptyStatsResult() });
    // Coverage is left out altogether without page counts (see above).
    for (const table of TABLES)
      if (table.id !== "event-props" && table.id !== "coverage")
        expect(empty, table.id).toContain(table.empty);
    expect(empty).not.toContain("<tbody>");
    expect(empty).not.toContain("/export/");
    expect(cardValue(empty, "visitors")).toBe("0");
  });

  it("explains what to do when no site has data yet", () => {
    const none = page({ site: null, sites: [], result: null });
    expect(none).toContain("No data yet");
    expect(none).not.toContain('name="site"');
  });
});

describe("bidi isolation and visible controls", () => {
  const RLO = "\u202E";
  const hostile = (text: string) => `${text}${RLO}`;
  const result = sampleStatsResult({
    topPages: [{ path: hostile("/pricing"), pageviews: 4321, visitors: 2109 }],
    entryPages: [{ path: hostile("/landing"), sessions: 811 }],
    exitPages: [{ path: hostile("/done"), sessions: 733 }],
    referrers: [{ name: hostile("Google"), visitors: 655 }],
    utm: [{ source: hostile("news"), medium: hostile("email"), campaign: hostile("c"), visitors: 577 }],
    browsers: [{ name: hostile("Firefox"), visitors: 499 }],
    os: [{ name: hostile("Linux"), visitors: 421 }],
    devices: [{ name: hostile("tablet"), visitors: 343 }],
    events: [
      {
        name: hostile("signup"),
        count: 265,
        visitors: 187,
        props: [{ key: hostile("amount"), value: "100 USD", count: 109 }],
      },
    ],
    users: [{ userId: "a\u0000b\u0007", events: 1031, pageviews: 953, lastSeen: "2026-11-07T18:00:00.000Z" }],
    searchTerms: [{ term: hostile("shoes"), count: 875 }],
  });
  const site = hostile("shop.example");
  const html = page({ site, sites: [site, "blog.example"], result, state: { ...state, site } });

  it("never writes a bidi control or a control character into the page", () => {
    const body = html.replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/g, "");
    expect(body).not.toContain(RLO);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for exactly these characters
    expect(body).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
  });

  it("isolates every collected value: nothing of it is left outside <bdi> or FSI…PDI", () => {
    const outside = html.replace(/<bdi>[^<]*<\/bdi>/g, "").replace(/\u2068[^\u2069]*\u2069/g, "");
    expect(html.match(/U\+202E/g)?.length).toBeGreaterThanOrEqual(16);
    expect(outside).not.toContain("U+202E");
    expect(outside).not.toContain("U+0000");
  });

  it("shows the issue's examples visibly and isolated", () => {
    expect(html).toContain("Site <strong><bdi>shop.example&lt;U+202E&gt;</bdi></strong>");
    expect(html).toContain("<li><bdi>amount&lt;U+202E&gt;</bdi> = <bdi>100 USD</bdi>: 109</li>");
    expect(html).toContain("<title>\u2068shop.example&lt;U+202E&gt;\u2069 · Shop KPIs</title>");
    expect(html).toContain(">\u2068shop.example&lt;U+202E&gt;\u2069</option>");
    expect(html).toContain("<bdi>a&lt;U+0000&gt;b&lt;U+0007&gt;</bdi>");
  });

  it("shows controls in the request values an error page quotes", () => {
    const message = renderMessagePage("Bad", "n", [`tz: unknown time zone "x${RLO}"`]);
    expect(message).toContain("x&lt;U+202E&gt;");
    expect(message).not.toContain(RLO);
  });
});

describe("formatting", () => {
  it("formats durations and deltas", () => {
    expect(formatDuration(42)).toBe("42s");
    expect(formatDuration(3725)).toBe("1h 02m");
    expect(formatDelta(0, 0).text).toBe("no change");
    expect(formatDelta(5, 0).text).toBe("new");
    expect(formatDelta(50, 100)).toEqual({ text: "▼ 50.0%", cls: "down" });
    expect(formatDelta(0.3, 0.25, "points")).toEqual({ text: "▲ 5.0 pts", cls: "up" });
  });
});

describe("renderMessagePage", () => {
  it("escapes the message", () => {
    const html = renderMessagePage("Bad", "n", [`tz: unknown time zone "<b>"`], "/tracklet/");
    expect(html).toContain("tz: unknown time zone &quot;&lt;b&gt;&quot;");
    expect(html).toContain('<a href="/tracklet/">Back to the dashboard</a>');
  });
});
