// biome-ignore-all lint/suspicious/noTemplateCurlyInString: airflow.cfg values use ${VAR} references literally
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { resolveCollectorSettings } from "../config/collector-config.js";
import { formatCollectorSettings } from "./check-settings.js";

const dir = mkdtempSync(join(tmpdir(), "tracklet-check-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function checkOutput(webserver: string): string {
  const file = join(dir, "app.cfg");
  writeFileSync(file, `[webserver]\n${webserver}\n[collector]\nga4_api_secret = s3cret-value\n`);
  return formatCollectorSettings(resolveCollectorSettings({ configFile: file, env: {} }));
}

describe("formatCollectorSettings", () => {
  it("says where events go in first_party and both modes, and nothing in client mode", () => {
    const ga4 = "analytics_tool = google_analytics\nanalytics_id = G-ABCDE12\n";
    expect(checkOutput(`${ga4}analytics_mode = first_party`)).toContain(
      "[webserver] analytics_mode = first_party: every event is forwarded to google_analytics\n",
    );
    expect(checkOutput(`${ga4}analytics_mode = both`)).toContain(
      "[webserver] analytics_mode = both: events are stored, not forwarded\n",
    );
    const client = checkOutput(ga4);
    expect(client).not.toContain("analytics_mode");
    expect(client).not.toContain("s3cret-value");
  });

  it("masks coverage_token and says where it came from", () => {
    const file = join(dir, "coverage.cfg");
    writeFileSync(file, "[collector]\ncoverage_token = ${COVERAGE_TOKEN}\n");
    const settings = resolveCollectorSettings({
      configFile: file,
      env: { COVERAGE_TOKEN: "0123456789abcdef" },
    });
    expect(settings.coverageToken).toBe("0123456789abcdef");
    const output = formatCollectorSettings(settings);
    expect(output).toMatch(/^coverage_token\s+= 01…\(16 chars\)\s+\(.*coverage\.cfg:2\)$/m);
    expect(output).not.toContain("0123456789abcdef");
  });
});
