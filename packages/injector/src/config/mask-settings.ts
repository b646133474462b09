import { maskSecret, maskUrlCredentials } from "@tracklet/config";
import type { AnalyticsSettings, UserAleSettings, ValueSource } from "../types.js";
import { isSecretOption, OPTIONS } from "./options.js";

/**
 * A copy of `settings` that is safe to print or log: the UserALE auth header and Segment/MetaRouter write
 * keys are masked (`ab…(32 chars)`), URL credentials replaced by `***`. Plain data, JSON-serialisable.
 */
export function maskSettings(settings: AnalyticsSettings): AnalyticsSettings {
  const secret = (option: string, value: string) =>
    isSecretOption(option, settings.tool) ? maskSecret(value) : maskUrlCredentials(value);
  const useralejs: UserAleSettings = { ...settings.useralejs };
  if (useralejs.auth !== undefined) useralejs.auth = maskSecret(useralejs.auth);
  if (useralejs.url !== undefined) useralejs.url = maskUrlCredentials(useralejs.url);
  const masked: AnalyticsSettings = {
    tool: settings.tool,
    ...(settings.mode ? { mode: settings.mode } : {}),
    spaPageviews: settings.spaPageviews,
    useralejs,
    ...(settings.sdk ? { sdk: structuredClone(settings.sdk) } : {}),
    sources: structuredClone(settings.sources),
  };
  if (settings.id !== undefined) masked.id = secret("analytics_id", settings.id);
  if (settings.url !== undefined) masked.url = maskUrlCredentials(settings.url);
  if (settings.scriptUrl !== undefined) masked.scriptUrl = maskUrlCredentials(settings.scriptUrl);
  if (settings.site !== undefined) masked.site = settings.site;
  if (settings.coverage !== undefined)
    masked.coverage = {
      url: maskUrlCredentials(settings.coverage.url),
      token: maskSecret(settings.coverage.token),
    };
  return masked;
}

/** `airflow.cfg:12`, `env TRACKLET__WEBSERVER__ANALYTICS_ID` or `default`. */
export function describeSource(source: ValueSource | undefined): string {
  if (!source || source.kind === "default") return "default";
  if (source.kind === "env") return `env ${source.envVar ?? "?"}`;
  return source.line === undefined ? (source.file ?? "file") : `${source.file ?? "file"}:${source.line}`;
}

/** The value of one option in `settings` (already masked), or undefined when it is not set. */
function optionValue(masked: AnalyticsSettings, option: string): string | number | boolean | undefined {
  const spec = OPTIONS.find((o) => o.name === option);
  if (spec?.useraleKey) return masked.useralejs[spec.useraleKey];
  if (spec?.sdkKey) {
    const value = masked.sdk?.[spec.sdkKey];
    // An empty `analytics_track` list is how `none` is kept.
    return Array.isArray(value) ? value.join(", ") || "none" : value;
  }
  switch (option) {
    case "analytics_tool":
      return masked.tool ?? undefined;
    case "analytics_id":
      return masked.id;
    case "analytics_mode":
      return masked.mode;
    case "analytics_url":
      return masked.url;
    case "analytics_script_url":
      return masked.scriptUrl;
    case "analytics_spa_pageviews":
      return masked.spaPageviews;
    case "analytics_site":
      return masked.site;
    case "analytics_coverage_url":
      return masked.coverage?.url;
    case "analytics_coverage_token":
      return masked.coverage?.token;
    default:
      return undefined;
  }
}

/**
 * Human-readable listing of the resolved settings, one `option = value  (source)` line per set option,
 * secrets masked.
 */
export function formatSettings(settings: AnalyticsSettings): string {
  const masked = maskSettings(settings);
  const rows: [string, string, string][] = [];
  for (const spec of OPTIONS) {
    const value = optionValue(masked, spec.name);
    if (value === undefined) continue;
    if (spec.name === "analytics_spa_pageviews" && settings.tool === null) continue;
    rows.push([spec.name, String(value), describeSource(settings.sources[spec.name])]);
  }
  if (settings.tool === null) rows.unshift(["analytics_tool", "(not set: injection is off)", ""]);
  const nameWidth = Math.max(...rows.map((r) => r[0].length));
  const valueWidth = Math.min(48, Math.max(...rows.map((r) => r[1].length)));
  return rows
    .map(([name, value, source]) =>
      `${name.padEnd(nameWidth)} = ${source ? `${value.padEnd(valueWidth)}  (${source})` : value}`.trimEnd(),
    )
    .join("\n");
}
