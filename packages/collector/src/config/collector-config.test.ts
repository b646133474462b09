// biome-ignore-all lint/suspicious/noTemplateCurlyInString: config values use ${VAR} references literally
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { collectorSectionOf, resolveCollectorSettings } from "./collector-config.js";

const dir = mkdtempSync(join(tmpdir(), "tracklet-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cfg(text: string): string {
  const file = join(dir, `c${Math.random().toString(36).slice(2)}.cfg`);
  writeFileSync(file, text);
  return file;
}

describe("collector settings", () => {
  it("defaults to collecting everything into the embedded SQLite file", () => {
    const s = resolveCollectorSettings({ env: {} });
    expect(s).toMatchObject({
      analyticsDisabled: false,
      collectPageviews: true,
      collectEvents: true,
      collectServerEvents: true,
      store: "./.tracklet/tracklet.sqlite",
      retentionDays: null,
      rateLimit: {},
      cors: [],
      maxBodyBytes: 65536,
      access: undefined,
    });
  });

  it("reads the [collector] section of an airflow.cfg-style file", () => {
    const file = cfg(`[webserver]
analytics_tool = tracklet

[collector]
analytics_disabled = False
collect_events = no
store = postgres://u@db/analytics
retention_days = 90
rate_limit = 5/50
cors_origins = https://a.example, https://b.example
max_body_bytes = 32768
stats_token = abc
`);
    const s = resolveCollectorSettings({ configFile: file, env: {} });
    expect(s).toMatchObject({
      analyticsDisabled: false,
      collectEvents: false,
      store: "postgres://u@db/analytics",
      retentionDays: 90,
      rateLimit: { perSecond: 5, burst: 50 },
      cors: ["https://a.example", "https://b.example"],
      maxBodyBytes: 32768,
      access: { token: "abc" },
    });
    expect(s.sources.retention_days).toBe(`${file}:8`);
  });

  it("lets env vars override the file and options override the file", () => {
    const file = cfg("[collector]\nanalytics_disabled = False\nstore = ./from-file.sqlite\n");
    const s = resolveCollectorSettings({
      configFile: file,
      store: "./from-option.sqlite",
      env: {
        TRACKLET__COLLECTOR__ANALYTICS_DISABLED: "True",
        TRACKLET__COLLECTOR__STORE: "postgres://env/db",
      },
    });
    expect(s.analyticsDisabled).toBe(true);
    expect(s.store).toBe("postgres://env/db");
    expect(resolveCollectorSettings({ configFile: file, store: "./from-option.sqlite", env: {} }).store).toBe(
      "./from-option.sqlite",
    );
  });

  it("names file:line for a bad value and for an unknown option", () => {
    const file = cfg("[collector]\n\nretention_days = forever\n");
    expect(() => resolveCollectorSettings({ configFile: file, env: {} })).toThrow(
      `${file}:3: retention_days must be`,
    );
    expect(() => collectorSectionOf("[collector]\nretension_days = 3\n", "x.cfg")).toThrow(
      "x.cfg:2: unknown option",
    );
    expect(() => collectorSectionOf("[collector]\nnot an option line\n", "y.cfg")).toThrow("y.cfg:2");
  });

  it("suggests the option an unknown one was probably meant to be", () => {
    expect(() => collectorSectionOf("[collector]\nretension_days = 3\n", "x.cfg")).toThrow(
      "did you mean retention_days?",
    );
  });

  it("expands ${VAR} references in file values from the environment", () => {
    const text = "[collector]\nstats_token = ${STATS_TOKEN}\nstore = ${DATA}/events.sqlite\n";
    const section = collectorSectionOf(text, "z.cfg", { STATS_TOKEN: "t0ken", DATA: "/srv" });
    expect(section.get("stats_token")?.text).toBe("t0ken");
    expect(section.get("store")?.text).toBe("/srv/events.sqlite");
    expect(() => collectorSectionOf(text, "z.cfg", { DATA: "/srv" })).toThrow(
      "z.cfg:2: environment variable STATS_TOKEN is not set",
    );
  });

  it("names the env var for a bad override", () => {
    expect(() => resolveCollectorSettings({ env: { TRACKLET__COLLECTOR__COLLECT_EVENTS: "maybe" } })).toThrow(
      "TRACKLET__COLLECTOR__COLLECT_EVENTS: collect_events must be True or False",
    );
  });

  it("parses rate limits and CORS lists", () => {
    expect(resolveCollectorSettings({ env: { TRACKLET__COLLECTOR__RATE_LIMIT: "off" } }).rateLimit).toBe(
      false,
    );
    expect(resolveCollectorSettings({ env: { TRACKLET__COLLECTOR__RATE_LIMIT: "10" } }).rateLimit).toEqual({
      perSecond: 10,
      burst: 50,
    });
    expect(resolveCollectorSettings({ env: { TRACKLET__COLLECTOR__CORS_ORIGINS: "*" } }).cors).toBe("*");
    expect(() =>
      resolveCollectorSettings({ env: { TRACKLET__COLLECTOR__CORS_ORIGINS: "https://a.example/path" } }),
    ).toThrow("cors_origins");
  });

  it("reports an unreadable config file", () => {
    expect(() => resolveCollectorSettings({ configFile: join(dir, "missing.cfg"), env: {} })).toThrow(
      "cannot read",
    );
  });
});

describe("site and body settings", () => {
  it("defaults to any site up to 100, no default site, a 10 s body timeout", () => {
    expect(resolveCollectorSettings({ env: {} })).toMatchObject({
      sites: null,
      maxSites: 100,
      defaultSite: undefined,
      bodyTimeoutMs: 10_000,
    });
  });

  it("reads sites, max_sites, default_site and body_timeout_ms; the first site is the default", () => {
    const file = cfg(`[collector]
sites = shop.example.com, docs.example.com
max_sites = 5
body_timeout_ms = 2500
`);
    expect(resolveCollectorSettings({ configFile: file, env: {} })).toMatchObject({
      sites: ["shop.example.com", "docs.example.com"],
      maxSites: 5,
      defaultSite: "shop.example.com",
      bodyTimeoutMs: 2500,
    });
    const chosen = resolveCollectorSettings({
      env: { TRACKLET__COLLECTOR__DEFAULT_SITE: "docs.example.com" },
      sites: ["shop.example.com", "docs.example.com"],
    });
    expect(chosen.defaultSite).toBe("docs.example.com");
  });

  it.each([
    ["sites = ,", "sites must be a comma-separated list of site ids"],
    [`sites = ${"x".repeat(254)}`, "each at most 253 characters"],
    ["max_sites = 0", "max_sites must be a positive number of sites"],
    ["body_timeout_ms = soon", "body_timeout_ms must be a positive number of milliseconds"],
    [
      "sites = a.example\ndefault_site = b.example",
      'default_site "b.example" is not one of sites (a.example)',
    ],
  ])("refuses %j with file:line", (line, message) => {
    const file = cfg(`[collector]\n${line}\n`);
    expect(() => resolveCollectorSettings({ configFile: file, env: {} })).toThrow(message);
    expect(() => resolveCollectorSettings({ configFile: file, env: {} })).toThrow(`${file}:`);
  });
});
