import { ConfigError, type ConfigIssue } from "@tracklet/config";
import { describe, expect, it } from "vitest";
import { formatSettings } from "./mask-settings.js";
import { parseConfig } from "./parse-config.js";

const COLLECTOR = "\n[collector]\nga4_api_secret = s3cret\n";

function issuesOf(text: string, env: Record<string, string> = {}): ConfigIssue[] {
  try {
    parseConfig(text, { file: "app.cfg", env });
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("[webserver] analytics_mode", () => {
  it("is absent (client) unless set, and reads first_party and both", () => {
    const plain = parseConfig("[webserver]\nanalytics_tool = segment\nanalytics_id = key1\n", { env: {} });
    expect(plain.settings.mode).toBeUndefined();
    for (const mode of ["client", "first_party", "both"] as const) {
      const text = `[webserver]\nanalytics_tool = segment\nanalytics_id = key1\nanalytics_mode = ${mode}\n${COLLECTOR}`;
      expect(parseConfig(text, { env: {} }).settings.mode).toBe(mode);
    }
  });

  it("suggests the closest mode with file:line", () => {
    const issues = issuesOf(
      `[webserver]\nanalytics_tool = segment\nanalytics_id = key1\nanalytics_mode = first-party\n${COLLECTOR}`,
    );
    expect(issues).toHaveLength(1);
    expect(issues[0]?.where).toBe("app.cfg:4");
    expect(issues[0]?.message).toContain("one of client, first_party, both");
    expect(issues[0]?.message).toContain('did you mean "first_party"?');
  });

  it("refuses first_party for UserALE, naming the tools it works with", () => {
    const text = `[webserver]
analytics_tool = apache_flagon_useralejs
apache_flagon_useralejs_data_url = https://logs.example.com
analytics_mode = first_party
${COLLECTOR}`;
    const issues = issuesOf(text);
    expect(issues.map((i) => i.where)).toEqual(["app.cfg:4"]);
    expect(issues[0]?.message).toContain("google_analytics, segment, metarouter, matomo");
    const both = text.replace("first_party", "both");
    expect(parseConfig(both, { env: {} }).settings.mode).toBe("both");
  });

  it("needs a collector to send to: a [collector] section or a TRACKLET__COLLECTOR__ variable", () => {
    const text =
      "[webserver]\nanalytics_tool = matomo\nanalytics_id = 3\nanalytics_url = https://m.example.com\nanalytics_mode = first_party\n";
    const issues = issuesOf(text);
    expect(issues.map((i) => i.where)).toEqual(["app.cfg:5"]);
    expect(issues[0]?.message).toContain("no [collector] section");
    const env = { TRACKLET__COLLECTOR__STORE: "/tmp/x.sqlite" };
    expect(parseConfig(text, { env }).settings.mode).toBe("first_party");
  });

  it("lets the SDK options count in first_party mode, and ignores the option for tracklet", () => {
    const text = `[webserver]\nanalytics_tool = google_analytics\nanalytics_id = G-ABCDE12\nanalytics_mode = first_party\nanalytics_track = outbound\n${COLLECTOR}`;
    const { settings, warnings } = parseConfig(text, { env: {} });
    expect(settings.sdk?.track).toEqual(["outbound"]);
    expect(warnings).toEqual([]);
    const own = parseConfig(`[webserver]\nanalytics_tool = tracklet\nanalytics_mode = both\n`, { env: {} });
    expect(own.warnings.map((w) => w.message)).toEqual([
      '[webserver] analytics_mode: ignored: analytics_tool "tracklet" does not use it',
    ]);
  });

  it("warns about vendor-script options first_party does not use, and tracklet check shows the mode", () => {
    const text = `[webserver]
analytics_tool = segment
analytics_id = key1
analytics_mode = first_party
analytics_script_url = /proxy/analytics.js
analytics_spa_pageviews = True
${COLLECTOR}`;
    const { settings, warnings } = parseConfig(text, { file: "app.cfg", env: {} });
    expect(warnings.map((w) => `${w.where} ${w.option}`)).toEqual([
      "app.cfg:5 analytics_script_url",
      "app.cfg:6 analytics_spa_pageviews",
    ]);
    expect(formatSettings(settings)).toMatch(/^analytics_mode += first_party +\(app\.cfg:4\)$/m);
  });
});
