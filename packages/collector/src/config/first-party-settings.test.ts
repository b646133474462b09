import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, type ConfigIssue } from "@tracklet/config";
import { afterAll, describe, expect, it } from "vitest";
import { type CollectorSettings, resolveCollectorSettings } from "./collector-config.js";

const dir = mkdtempSync(join(tmpdir(), "tracklet-first-party-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function settingsOf(text: string, env: Record<string, string> = {}): CollectorSettings {
  const file = join(dir, "app.cfg");
  writeFileSync(file, text);
  return resolveCollectorSettings({ configFile: file, env });
}

function issuesOf(text: string, env: Record<string, string> = {}): ConfigIssue[] {
  try {
    settingsOf(text, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

const at = (issues: ConfigIssue[]) => issues.map((i) => `${i.where.replace(/^.*\//, "")} ${i.message}`);

describe("[webserver] analytics_mode in the collector", () => {
  it("forwards to the [webserver] vendor in first_party mode, with analytics_id as its id", () => {
    const ga4 = settingsOf(`[webserver]
analytics_tool = google_analytics
analytics_id = G-ABCDE12
analytics_mode = first_party
[collector]
ga4_api_secret = s3cret
`);
    expect(ga4).toMatchObject({
      mode: "first_party",
      firstParty: { tool: "google_analytics", id: "G-ABCDE12" },
    });
    const matomo = settingsOf(
      "[webserver]\nanalytics_tool = matomo\nanalytics_id = 3\nanalytics_url = https://m.example.com/\nanalytics_mode = first_party\n",
    );
    expect(matomo.firstParty).toEqual({ tool: "matomo", id: "3", url: "https://m.example.com/" });
  });

  it("reads the mode from TRACKLET__WEBSERVER__ overrides too", () => {
    const s = settingsOf("[webserver]\nanalytics_tool = segment\nanalytics_id = key1\n", {
      TRACKLET__WEBSERVER__ANALYTICS_MODE: "first_party",
    });
    expect(s.firstParty).toEqual({ tool: "segment", id: "key1" });
  });

  it("forwards nothing in client and both modes", () => {
    const base = "[webserver]\nanalytics_tool = segment\nanalytics_id = key1\n";
    expect(settingsOf(base)).toMatchObject({ mode: "client", firstParty: null });
    expect(settingsOf(`${base}analytics_mode = both\n`)).toMatchObject({ mode: "both", firstParty: null });
  });

  it("names file:line for every missing piece", () => {
    expect(
      at(issuesOf("[webserver]\nanalytics_tool = google_analytics\nanalytics_mode = first_party\n")),
    ).toEqual([
      "app.cfg:3 [webserver] analytics_mode = first_party with analytics_tool = google_analytics needs [webserver] analytics_id",
      "app.cfg:3 [webserver] analytics_mode = first_party with analytics_tool = google_analytics needs [collector] ga4_api_secret (a Measurement Protocol API secret of the GA4 data stream)",
    ]);
    expect(
      at(
        issuesOf(
          "[webserver]\nanalytics_tool = metarouter\nanalytics_id = k\nanalytics_mode = first_party\n",
        ),
      ),
    ).toEqual([
      "app.cfg:4 [webserver] analytics_mode = first_party with analytics_tool = metarouter needs [collector] metarouter_endpoint (your MetaRouter cluster's batch URL)",
    ]);
    expect(
      at(issuesOf("[webserver]\nanalytics_tool = matomo\nanalytics_id = 3\nanalytics_mode = first_party\n")),
    ).toEqual([
      "app.cfg:4 [webserver] analytics_mode = first_party with analytics_tool = matomo needs [webserver] analytics_url (the Matomo base URL)",
    ]);
  });

  it("refuses a Matomo URL the collector cannot post to, at its own line", () => {
    const issues = issuesOf(
      "[webserver]\nanalytics_tool = matomo\nanalytics_id = 3\nanalytics_url = matomo.example.com\nanalytics_mode = first_party\n",
    );
    expect(at(issues)).toEqual([
      'app.cfg:4 [webserver] analytics_url must be the http(s) URL of the Matomo instance, got "matomo.example.com"',
    ]);
  });

  it("refuses UserALE in first_party mode, naming the tools it forwards to", () => {
    const issues = issuesOf(
      "[webserver]\nanalytics_tool = apache_flagon_useralejs\nanalytics_mode = first_party\n",
    );
    expect(at(issues)).toEqual([
      'app.cfg:3 [webserver] analytics_mode = first_party is not available for analytics_tool "apache_flagon_useralejs": the collector forwards to google_analytics, segment, metarouter, matomo only',
    ]);
  });

  it("suggests the closest mode", () => {
    const issues = issuesOf(
      "[webserver]\nanalytics_tool = segment\nanalytics_id = k\nanalytics_mode = firstparty\n",
    );
    expect(at(issues)).toEqual([
      'app.cfg:4 [webserver] analytics_mode must be one of client, first_party, both, got "firstparty" (did you mean "first_party"?)',
    ]);
  });

  it("refuses forwarding to the same vendor twice", () => {
    const issues = issuesOf(`[webserver]
analytics_tool = segment
analytics_id = k
analytics_mode = both
[collector]
forward = segment
segment_write_key = k
`);
    expect(at(issues)).toEqual([
      "app.cfg:4 [webserver] analytics_mode = both with analytics_tool = segment, and [collector] forward names segment too: every event would be counted twice; remove segment from forward",
    ]);
  });
});
