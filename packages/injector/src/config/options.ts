import type { AnalyticsTool, BrowserSdkSettings, UserAleSettings } from "../types.js";

/** How an option's text is turned into a typed value. */
export type OptionType =
  | "tool"
  | "mode"
  | "id"
  | "endpoint"
  | "scriptUrl"
  | "boolean"
  | "positiveInteger"
  | "text"
  | "httpUrl"
  | "version"
  | "site"
  | "trackList"
  | "extensionList"
  | "pathList"
  | "parameterList"
  | "coverageUrl"
  | "coverageToken";

export interface OptionSpec {
  /** Option name in the ini file (lower case). */
  readonly name: string;
  readonly type: OptionType;
  /** `always` for secrets; `writeKey` when the value is secret for some tools (Segment/MetaRouter write keys). */
  readonly secret?: "always" | "writeKey";
  /** Tools that read this option; `all` for every tool. */
  readonly usedBy: readonly AnalyticsTool[] | "all";
  /** The {@link UserAleSettings} key, for `apache_flagon_useralejs_data_*` options. */
  readonly useraleKey?: keyof UserAleSettings;
  /** The {@link BrowserSdkSettings} key, for options of tracklet's browser SDK. */
  readonly sdkKey?: keyof BrowserSdkSettings;
}

const USERALE = ["apache_flagon_useralejs"] as const;

function userale(
  suffix: string,
  type: OptionType,
  useraleKey: keyof UserAleSettings,
  secret = false,
): OptionSpec {
  return {
    name: `apache_flagon_useralejs_data_${suffix}`,
    type,
    usedBy: USERALE,
    useraleKey,
    ...(secret ? { secret: "always" as const } : {}),
  };
}

/** Tools next to which the injector adds tracklet's browser SDK (bridge-only, with `analytics_spa_pageviews`). */
export const SPA_BRIDGE_TOOLS = [
  "google_analytics",
  "segment",
  "metarouter",
  "apache_flagon_useralejs",
] as const;

/**
 * An option of tracklet's browser SDK. What it sends (`analytics_track`, the download extensions) matters only
 * with `analytics_tool = tracklet`; what shapes pageview URLs also matters to the SPA bridge.
 */
function sdk(name: string, type: OptionType, sdkKey: keyof BrowserSdkSettings, bridge: boolean): OptionSpec {
  return { name, type, sdkKey, usedBy: bridge ? ["tracklet", ...SPA_BRIDGE_TOOLS] : ["tracklet"] };
}

/** Every `[webserver]` option tracklet reads, in the order `tracklet check` prints them. */
export const OPTIONS: readonly OptionSpec[] = [
  { name: "analytics_tool", type: "tool", usedBy: "all" },
  {
    name: "analytics_id",
    type: "id",
    secret: "writeKey",
    usedBy: ["google_analytics", "segment", "metarouter", "matomo"],
  },
  {
    name: "analytics_mode",
    type: "mode",
    usedBy: ["google_analytics", "segment", "metarouter", "matomo", "apache_flagon_useralejs"],
  },
  { name: "analytics_url", type: "endpoint", usedBy: ["matomo", "tracklet"] },
  { name: "analytics_script_url", type: "scriptUrl", usedBy: "all" },
  { name: "analytics_spa_pageviews", type: "boolean", usedBy: "all" },
  { name: "analytics_site", type: "site", usedBy: ["tracklet"] },
  sdk("analytics_track", "trackList", "track", false),
  sdk("analytics_download_extensions", "extensionList", "downloadExtensions", false),
  sdk("analytics_hash_routing", "boolean", "hashRouting", true),
  sdk("analytics_include", "pathList", "include", true),
  sdk("analytics_exclude", "pathList", "exclude", true),
  sdk("analytics_mask", "parameterList", "mask", true),
  { name: "analytics_coverage_url", type: "coverageUrl", usedBy: ["tracklet"] },
  { name: "analytics_coverage_token", type: "coverageToken", secret: "always", usedBy: ["tracklet"] },
  userale("auth", "text", "auth", true),
  userale("autostart", "boolean", "autostart"),
  userale("interval", "positiveInteger", "interval"),
  userale("log_details", "boolean", "logDetails"),
  userale("resolution", "positiveInteger", "resolution"),
  userale("threshold", "positiveInteger", "threshold"),
  userale("tool", "text", "tool"),
  userale("user", "text", "user"),
  userale("url", "httpUrl", "url"),
  userale("version", "version", "version"),
];

export const OPTION_NAMES: readonly string[] = OPTIONS.map((o) => o.name);

/** Tools whose `analytics_id` is a write key that is kept out of logs. */
const WRITE_KEY_TOOLS: ReadonlySet<string> = new Set(["segment", "metarouter"]);

/**
 * Whether an option's value must be masked when printed. `analytics_id` is masked unless the tool is known
 * to use a public id (GA4 measurement id, Matomo site id).
 */
export function isSecretOption(name: string, tool: string | null | undefined): boolean {
  const spec = OPTIONS.find((o) => o.name === name);
  if (!spec?.secret) return false;
  if (spec.secret === "always") return true;
  return tool === null || tool === undefined || WRITE_KEY_TOOLS.has(tool) || !isPublicIdTool(tool);
}

function isPublicIdTool(tool: string): boolean {
  return tool === "google_analytics" || tool === "matomo";
}

/**
 * Whether an unknown `[webserver]` option name looks like a misspelling of one of ours (so it deserves a
 * warning), as opposed to one of Airflow's own options.
 */
export function looksLikeOurs(name: string, suggestion: string | undefined): boolean {
  return (
    suggestion !== undefined ||
    name.startsWith("analytics_") ||
    name.startsWith("analytical_") ||
    name.includes("flagon") ||
    name.includes("userale")
  );
}
