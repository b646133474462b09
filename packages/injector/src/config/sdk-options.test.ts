import { ConfigError, type ConfigIssue } from "@tracklet/config";
import { describe, expect, it } from "vitest";
import { formatSettings } from "./mask-settings.js";
import { parseConfig } from "./parse-config.js";

const parse = (body: string, env: Record<string, string> = {}) =>
  parseConfig(`[webserver]\n${body}\n`, { file: "airflow.cfg", env });

function errorsOf(body: string): ConfigIssue[] {
  try {
    parse(body);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("[webserver] options of tracklet's browser SDK", () => {
  it("reads every option into settings.sdk", () => {
    const { settings, warnings } = parse(
      [
        "analytics_tool = tracklet",
        "analytics_track = outbound, downloads, tagged",
        "analytics_download_extensions = pdf zip",
        "analytics_hash_routing = True",
        "analytics_include = /app/*",
        "analytics_exclude = /app/admin/*, /app/debug",
        "analytics_mask = ref, invite",
      ].join("\n"),
    );
    expect(warnings).toEqual([]);
    expect(settings.sdk).toEqual({
      track: ["outbound", "downloads", "tagged"],
      downloadExtensions: ["pdf", "zip"],
      hashRouting: true,
      include: ["/app/*"],
      exclude: ["/app/admin/*", "/app/debug"],
      mask: ["ref", "invite"],
    });
    expect(settings.sources.analytics_mask).toEqual({ kind: "file", file: "airflow.cfg", line: 8 });
  });

  it("leaves settings.sdk empty without them (the SDK's defaults)", () => {
    expect(parse("analytics_tool = tracklet").settings.sdk).toEqual({});
  });

  it("analytics_track = none is pageviews only", () => {
    expect(parse("analytics_tool = tracklet\nanalytics_track = none").settings.sdk?.track).toEqual([]);
  });

  it("reports each bad list item at file:line with a did-you-mean", () => {
    const issues = errorsOf("analytics_tool = tracklet\nanalytics_track = outbund, download");
    expect(issues.map((i) => `${i.where}: ${i.message}`)).toEqual([
      'airflow.cfg:3: [webserver] analytics_track: expected "none" or any of outbound, downloads, tagged, engagement; found "outbund" (did you mean "outbound"?)',
      'airflow.cfg:3: [webserver] analytics_track: expected "none" or any of outbound, downloads, tagged, engagement; found "download" (did you mean "downloads"?)',
    ]);
    expect(issues.map((i) => i.suggestion)).toEqual(["outbound", "downloads"]);
  });

  it("reports bad patterns, extensions and names with a corrected spelling", () => {
    const issues = errorsOf(
      [
        "analytics_tool = tracklet",
        "analytics_include = blog/*",
        "analytics_download_extensions = .pdf",
        "analytics_mask = ref=1",
        "analytics_hash_routing = maybe",
      ].join("\n"),
    );
    expect(issues.map((i) => [i.where, i.option, i.suggestion])).toEqual([
      ["airflow.cfg:3", "analytics_include", "/blog/*"],
      ["airflow.cfg:4", "analytics_download_extensions", "pdf"],
      ["airflow.cfg:5", "analytics_mask", "ref"],
      ["airflow.cfg:6", "analytics_hash_routing", undefined],
    ]);
  });

  it("an environment override is validated and named", () => {
    try {
      parse("analytics_tool = tracklet", { TRACKLET__WEBSERVER__ANALYTICS_TRACK: "outbond" });
      throw new Error("expected a ConfigError");
    } catch (error) {
      expect((error as ConfigError).issues[0]?.where).toBe("TRACKLET__WEBSERVER__ANALYTICS_TRACK");
    }
  });

  it('warns that "None" leaves analytics_track unset', () => {
    const { settings, warnings } = parse("analytics_tool = tracklet\nanalytics_track = None");
    expect(settings.sdk?.track).toBeUndefined();
    expect(warnings.map((w) => `${w.where} ${w.option}`)).toEqual(["airflow.cfg:3 analytics_track"]);
    expect(warnings[0]?.message).toContain('write "none" for pageviews only');
  });

  it("warns about download extensions when downloads are not tracked", () => {
    const { warnings } = parse("analytics_tool = tracklet\nanalytics_download_extensions = pdf");
    expect(warnings.map((w) => w.message)).toEqual([
      '[webserver] analytics_download_extensions: ignored: analytics_track does not include "downloads"',
    ]);
  });

  it("a vendor tool uses the URL options only with analytics_spa_pageviews, and never analytics_track", () => {
    const base = "analytics_tool = segment\nanalytics_id = key123\nanalytics_hash_routing = True\n";
    const without = parse(`${base}analytics_track = outbound`);
    expect(without.warnings.map((w) => w.message)).toEqual([
      '[webserver] analytics_hash_routing: ignored: tracklet\'s browser SDK is added next to "segment" only with analytics_spa_pageviews = True',
      '[webserver] analytics_track: ignored: analytics_tool "segment" does not use it',
    ]);
    const withSpa = parse(`${base}analytics_spa_pageviews = True`);
    expect(withSpa.warnings).toEqual([]);
    expect(withSpa.settings.sdk).toEqual({ hashRouting: true });
  });

  it("tracklet check lists them", () => {
    const { settings } = parse(
      "analytics_tool = tracklet\nanalytics_track = none\nanalytics_mask = ref, invite",
    );
    const listing = formatSettings(settings);
    expect(listing).toMatch(/^analytics_track += none +\(airflow\.cfg:3\)$/m);
    expect(listing).toMatch(/^analytics_mask += ref, invite +\(airflow\.cfg:4\)$/m);
  });
});
