import { maskSecret } from "@tracklet/config";
import type { CollectorSettings } from "../config/collector-config.js";
import { SECRET_OPTIONS } from "../config/forward-settings.js";

/** Where each `[collector]` option's value lives in the resolved settings. */
const VALUE_OF: Record<string, (s: CollectorSettings) => unknown> = {
  cors_origins: (s) => s.cors,
  rate_limit: (s) =>
    s.rateLimit === false ? false : `${s.rateLimit.perSecond ?? 20}/${s.rateLimit.burst ?? 100}`,
  stats_token: (s) => (s.access && "token" in s.access ? s.access.token : undefined),
};

const camel = (option: string) => option.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * One line per `[collector]` option: its value and where it came from (`file:line`, env var, `option`,
 * `default`). Secrets show only their first characters and length; URL passwords are hidden.
 */
export function formatCollectorSettings(settings: CollectorSettings): string {
  const rows = Object.entries(settings.sources).map(([option, source]) => {
    const read =
      VALUE_OF[option] ??
      ((s: CollectorSettings) => (s as unknown as Record<string, unknown>)[camel(option)]);
    const value = read(settings);
    return [option, display(option, value), source] as const;
  });
  const width = Math.max(...rows.map(([option]) => option.length));
  const lines = rows.map(([option, value, source]) => `${option.padEnd(width)} = ${value}  (${source})\n`);
  return lines.join("") + modeLine(settings);
}

/** What `[webserver] analytics_mode` makes the collector do, unless it is `client`. */
function modeLine(settings: CollectorSettings): string {
  if (settings.mode === "client") return "";
  const what = settings.firstParty
    ? `every event is forwarded to ${settings.firstParty.tool}`
    : "events are stored, not forwarded";
  return `[webserver] analytics_mode = ${settings.mode}: ${what}\n`;
}

function display(option: string, value: unknown): string {
  if (value === undefined || value === null) return "(unset)";
  if (SECRET_OPTIONS.has(option)) return maskSecret(String(value));
  if (Array.isArray(value)) return value.length === 0 ? "(none)" : value.join(", ");
  if (value === false) return option === "rate_limit" ? "off" : "False";
  if (value === true) return "True";
  if (typeof value === "object") return JSON.stringify(value);
  return hidePassword(String(value));
}

function hidePassword(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/?#@:]*):[^/?#@]*@/i, "$1:***@");
}
