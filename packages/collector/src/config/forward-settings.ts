import { type ConfigIssue, didYouMean } from "@tracklet/config";

/** The services `forward` can name. */
export const FORWARD_TARGETS = ["ga4", "segment", "metarouter"] as const;
export type ForwardTarget = (typeof FORWARD_TARGETS)[number];

/** The forwarding part of the collector settings (`forward` and the options of each service). */
export interface ForwardSettings {
  /** Services every collected event is forwarded to, besides the store. */
  forward: ForwardTarget[];
  ga4MeasurementId: string | undefined;
  ga4ApiSecret: string | undefined;
  ga4Endpoint: string | undefined;
  segmentWriteKey: string | undefined;
  segmentEndpoint: string | undefined;
  metarouterWriteKey: string | undefined;
  metarouterEndpoint: string | undefined;
}

/** Options whose values are secrets: never shown in full in errors or `check` output. */
export const SECRET_OPTIONS = new Set([
  "ga4_api_secret",
  "segment_write_key",
  "metarouter_write_key",
  "stats_token",
  "coverage_token",
]);

/** `forward`'s items; unknown names are reported with the closest known one. */
export function parseForwardList(text: string): { targets: ForwardTarget[]; unknown: string[] } {
  const targets: ForwardTarget[] = [];
  const unknown: string[] = [];
  for (const item of text.split(/[,\n]/).map((s) => s.trim().toLowerCase())) {
    if (item === "" || item === "none") continue;
    if ((FORWARD_TARGETS as readonly string[]).includes(item)) {
      if (!targets.includes(item as ForwardTarget)) targets.push(item as ForwardTarget);
      continue;
    }
    const near = didYouMean(item, FORWARD_TARGETS);
    unknown.push(`${JSON.stringify(item)}${near ? ` (did you mean ${near}?)` : ""}`);
  }
  return { targets, unknown };
}

/** An http(s) URL, or undefined. */
export function parseEndpoint(text: string): string | undefined {
  try {
    const url = new URL(text);
    return url.protocol === "http:" || url.protocol === "https:" ? text : undefined;
  } catch {
    return undefined;
  }
}

/** The options each named service needs, reported at the `forward` setting's source. */
export function checkForwardSettings(settings: ForwardSettings, where: string): ConfigIssue[] {
  const needs: Array<[ForwardTarget, string, string | undefined]> = [
    ["ga4", "ga4_measurement_id", settings.ga4MeasurementId],
    ["ga4", "ga4_api_secret", settings.ga4ApiSecret],
    ["segment", "segment_write_key", settings.segmentWriteKey],
    ["metarouter", "metarouter_write_key", settings.metarouterWriteKey],
    ["metarouter", "metarouter_endpoint", settings.metarouterEndpoint],
  ];
  return needs
    .filter(([target, , value]) => settings.forward.includes(target) && value === undefined)
    .map(([target, option]) => ({
      severity: "error" as const,
      where,
      option: "forward",
      message: `forward names ${target}, which needs ${option} in [collector] (or TRACKLET__COLLECTOR__${option.toUpperCase()})`,
    }));
}
