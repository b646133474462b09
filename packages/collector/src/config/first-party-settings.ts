import { type ConfigIssue, didYouMean } from "@tracklet/config";
import { type ForwardSettings, type ForwardTarget, parseEndpoint } from "./forward-settings.js";
import type { WebserverSettings } from "./webserver-settings.js";

export const ANALYTICS_MODES = ["client", "first_party", "both"] as const;
export type AnalyticsMode = (typeof ANALYTICS_MODES)[number];

/** The `[webserver] analytics_tool` values first-party mode forwards to, and the destination for each. */
export const FIRST_PARTY_TOOLS = {
  google_analytics: "ga4",
  segment: "segment",
  metarouter: "metarouter",
  matomo: "matomo",
} as const;
export type FirstPartyTool = keyof typeof FIRST_PARTY_TOOLS;

/** What the collector forwards in `analytics_mode = first_party`: the vendor and its id. */
export interface FirstPartyForwarding {
  tool: FirstPartyTool;
  /** `analytics_id`: GA4 measurement id, Segment / MetaRouter write key, Matomo site id. */
  id: string;
  /** `analytics_url` of Matomo (its base URL). */
  url?: string;
}

export interface AnalyticsModeSettings {
  mode: AnalyticsMode;
  /** Set in `first_party` mode: every collected event is forwarded there. */
  firstParty: FirstPartyForwarding | null;
}

const isFirstPartyTool = (tool: string): tool is FirstPartyTool => Object.hasOwn(FIRST_PARTY_TOOLS, tool);

/**
 * The analytics mode of `[webserver]` and what it needs from `[collector]`: first_party forwards to the tool
 * named there (GA4 also needs `ga4_api_secret`, MetaRouter `metarouter_endpoint`, Matomo `analytics_url`);
 * neither first_party nor both may also `forward` to that vendor, which would count every event twice.
 */
export function resolveAnalyticsMode(
  webserver: WebserverSettings,
  forward: ForwardSettings,
  issues: ConfigIssue[],
): AnalyticsModeSettings {
  const modeValue = webserver.analytics_mode;
  const tool = webserver.analytics_tool?.text;
  const off: AnalyticsModeSettings = { mode: "client", firstParty: null };
  if (!modeValue) return off;
  const error = (message: string, where = modeValue.where) =>
    issues.push({ severity: "error", where, option: "analytics_mode", message });
  const mode = ANALYTICS_MODES.find((m) => m === modeValue.text);
  if (!mode) {
    const near = didYouMean(modeValue.text.toLowerCase().replace(/[-\s]/g, "_"), ANALYTICS_MODES);
    error(
      `[webserver] analytics_mode must be one of ${ANALYTICS_MODES.join(", ")}, got ${JSON.stringify(modeValue.text)}${near ? ` (did you mean "${near}"?)` : ""}`,
    );
    return off;
  }
  if (mode === "client" || tool === undefined || tool === "tracklet") return { mode, firstParty: null };
  const target: ForwardTarget | "matomo" | undefined = isFirstPartyTool(tool)
    ? FIRST_PARTY_TOOLS[tool]
    : undefined;
  if (target !== undefined && target !== "matomo" && forward.forward.includes(target)) {
    error(
      `[webserver] analytics_mode = ${mode} with analytics_tool = ${tool}, and [collector] forward names ${target} too: every event would be counted twice; remove ${target} from forward`,
    );
  }
  if (mode === "both") return { mode, firstParty: null };
  if (target === undefined) {
    error(
      `[webserver] analytics_mode = first_party is not available for analytics_tool ${JSON.stringify(tool)}: the collector forwards to ${Object.keys(FIRST_PARTY_TOOLS).join(", ")} only`,
    );
    return { mode, firstParty: null };
  }
  const needs = (what: string) =>
    error(`[webserver] analytics_mode = first_party with analytics_tool = ${tool} needs ${what}`);
  const id = webserver.analytics_id?.text;
  if (id === undefined) needs("[webserver] analytics_id");
  if (tool === "google_analytics" && forward.ga4ApiSecret === undefined)
    needs("[collector] ga4_api_secret (a Measurement Protocol API secret of the GA4 data stream)");
  if (tool === "metarouter" && forward.metarouterEndpoint === undefined)
    needs("[collector] metarouter_endpoint (your MetaRouter cluster's batch URL)");
  const url = webserver.analytics_url?.text;
  if (tool === "matomo" && url === undefined) needs("[webserver] analytics_url (the Matomo base URL)");
  if (tool === "matomo" && url !== undefined && parseEndpoint(url) === undefined) {
    const where = webserver.analytics_url?.where;
    error(
      `[webserver] analytics_url must be the http(s) URL of the Matomo instance, got ${JSON.stringify(url)}`,
      where,
    );
    return { mode, firstParty: null };
  }
  if (id === undefined) return { mode, firstParty: null };
  const forwarded = { tool: tool as FirstPartyTool, id };
  return { mode, firstParty: url !== undefined ? { ...forwarded, url } : forwarded };
}
