// biome-ignore-all lint/suspicious/noTemplateCurlyInString: airflow.cfg values use ${VAR} references literally
import { ConfigError } from "@tracklet/config";
import { describe, expect, it } from "vitest";
import { formatSettings } from "./mask-settings.js";
import { parseConfig } from "./parse-config.js";

const BASE = "[webserver]\nanalytics_tool = tracklet\n";

function errorsOf(text: string): string[] {
  try {
    parseConfig(text, { env: {} });
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((i) => `${i.where} ${i.message}`);
    throw error;
  }
  return [];
}

describe("analytics_coverage_url and analytics_coverage_token", () => {
  it("resolve together, the token from the environment, masked when printed", () => {
    const { settings } = parseConfig(
      `${BASE}analytics_coverage_url = https://stats.example.com/tracklet/documents\nanalytics_coverage_token = \${COVERAGE_TOKEN}\n`,
      { env: { COVERAGE_TOKEN: "0123456789abcdef0123" } },
    );
    expect(settings.coverage).toEqual({
      url: "https://stats.example.com/tracklet/documents",
      token: "0123456789abcdef0123",
    });
    const printed = formatSettings(settings);
    expect(printed).toMatch(/analytics_coverage_url\s+= https:\/\/stats\.example\.com\/tracklet\/documents/);
    expect(printed).toMatch(/analytics_coverage_token\s+= /);
    expect(printed).not.toContain("0123456789abcdef0123");
    expect(JSON.stringify(settings)).not.toContain("0123456789abcdef0123");
  });

  it("are an error one without the other, at the line of the one given", () => {
    expect(
      errorsOf(`${BASE}analytics_coverage_url = https://stats.example.com/tracklet/documents\n`),
    ).toEqual([
      "airflow.cfg:3 [webserver] analytics_coverage_token: required with analytics_coverage_url (the collector refuses page counts without it), but not set",
    ]);
    expect(errorsOf(`${BASE}analytics_coverage_token = abc\n`)).toEqual([
      "airflow.cfg:3 [webserver] analytics_coverage_url: required with analytics_coverage_token (the collector refuses page counts without it), but not set",
    ]);
  });

  it("refuse a URL that is not absolute http(s), with file:line", () => {
    const errors = errorsOf(
      `${BASE}analytics_coverage_url = /tracklet/documents\nanalytics_coverage_token = abc\n`,
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^airflow\.cfg:3 \[webserver\] analytics_coverage_url: expected the absolute http\(s\) URL/,
    );
  });

  it("apply to a vendor's tool in first-party mode, and are ignored with a warning otherwise", () => {
    const lines = "analytics_coverage_url = https://c.example/documents\nanalytics_coverage_token = abc\n";
    const firstParty = parseConfig(
      `[webserver]\nanalytics_tool = google_analytics\nanalytics_id = G-ABCDEF1234\nanalytics_mode = first_party\n${lines}[collector]\n`,
      { env: {} },
    );
    expect(firstParty.settings.coverage?.url).toBe("https://c.example/documents");
    expect(firstParty.warnings.filter((w) => w.option?.startsWith("analytics_coverage"))).toEqual([]);
    const client = parseConfig(
      `[webserver]\nanalytics_tool = google_analytics\nanalytics_id = G-ABCDEF1234\n${lines}`,
      {
        env: {},
      },
    );
    expect(client.warnings.map((w) => w.option)).toContain("analytics_coverage_url");
  });
});
