import { WIRE_LIMITS } from "@tracklet/browser-sdk/wire";
import {
  ConfigError,
  type ConfigIssue,
  didYouMean,
  type Env,
  expandEnv,
  findEnvOverride,
  interpolate,
  lookup,
  parseBoolean,
  parseIni,
  parseList,
  parsePositiveInteger,
  readConfigFile,
} from "@tracklet/config";
import type { CollectorOptions } from "../collector-options.js";
import type { AccessRule } from "../http/auth-types.js";
import { DEFAULT_BODY_TIMEOUT_MS } from "../http/body.js";
import type { CorsSetting } from "../http/cors.js";
import type { RateLimitOptions } from "../http/rate-limit.js";
import { DEFAULT_MAX_SITES } from "../pipeline/site-gate.js";
import { DEFAULT_SQLITE_PATH } from "../store/sqlite/sqlite-store.js";
import { type ConversionSettings, resolveConversionSettings } from "./conversion-settings.js";
import { type AnalyticsModeSettings, resolveAnalyticsMode } from "./first-party-settings.js";
import {
  checkForwardSettings,
  type ForwardSettings,
  type ForwardTarget,
  parseEndpoint,
  parseForwardList,
  SECRET_OPTIONS,
} from "./forward-settings.js";
import { readWebserverSettings } from "./webserver-settings.js";

/** The `[collector]` section of the config file. */
export const COLLECTOR_SECTION = "collector";
/** Env overrides: `TRACKLET__COLLECTOR__<OPTION>` beats the option, which beats the file. */
export const COLLECTOR_ENV_PREFIX = "TRACKLET__COLLECTOR__";
const ENV_PREFIXES = ["TRACKLET"];

/** Every setting after merging options, file and environment. */
export interface CollectorSettings extends ForwardSettings, AnalyticsModeSettings, ConversionSettings {
  analyticsDisabled: boolean;
  collectPageviews: boolean;
  collectEvents: boolean;
  collectServerEvents: boolean;
  /** SQLite path or `postgres://` URL. */
  store: string;
  retentionDays: number | null;
  rateLimit: RateLimitOptions | false;
  cors: CorsSetting;
  maxBodyBytes: number;
  searchEvents: string[];
  access: AccessRule | undefined;
  /** `coverage_token`: the bearer token the injector posts page counts with; unset refuses them. */
  coverageToken: string | undefined;
  /** `sites`: the only site ids events are taken for; null takes any, up to `maxSites` distinct ones. */
  sites: string[] | null;
  maxSites: number;
  /** The site the dashboard opens on (default: the first of `sites`, else the busiest). */
  defaultSite: string | undefined;
  /** Milliseconds a `/collect` request may take to send its body. */
  bodyTimeoutMs: number;
  /** Where each setting came from: `file:line`, the env var, `option` or `default`. */
  sources: Record<string, string>;
}

type Raw = { text: string; where: string };

const KNOWN = [
  "analytics_disabled",
  "collect_pageviews",
  "collect_events",
  "collect_server_events",
  "store",
  "retention_days",
  "rate_limit",
  "cors_origins",
  "max_body_bytes",
  "search_events",
  "stats_token",
  "coverage_token",
  "sites",
  "max_sites",
  "default_site",
  "body_timeout_ms",
  "forward",
  "ga4_measurement_id",
  "ga4_api_secret",
  "ga4_endpoint",
  "segment_write_key",
  "segment_endpoint",
  "metarouter_write_key",
  "metarouter_endpoint",
] as const;
type Known = (typeof KNOWN)[number];

/** Reads the `[collector]` section of an ini file (syntax errors name `file:line`). */
export function readCollectorSection(file: string, env: Env = process.env): Map<Known, Raw> {
  return collectorSectionOf(readConfigFile(file), file, env);
}

/**
 * The `[collector]` options of ini text, interpolated and with `${VAR}` references expanded from `env`;
 * unknown options in the section are errors.
 */
export function collectorSectionOf(text: string, file = "<string>", env: Env = process.env): Map<Known, Raw> {
  const doc = parseIni(text, { file });
  const out = new Map<Known, Raw>();
  const issues: ConfigIssue[] = [];
  const section = doc.sections.get(COLLECTOR_SECTION);
  for (const [key, value] of section?.options ?? []) {
    if (!(KNOWN as readonly string[]).includes(key)) {
      issues.push({
        severity: "error",
        where: `${file}:${value.line}`,
        option: key,
        message: unknownOptionMessage(value.name),
      });
    }
  }
  for (const key of KNOWN) {
    const value = lookup(doc, COLLECTOR_SECTION, key);
    if (!value || !section?.options.has(key)) continue;
    try {
      out.set(key, {
        text: expandEnv(interpolate(doc, COLLECTOR_SECTION, value.raw), env).trim(),
        where: `${file}:${value.line}`,
      });
    } catch (err) {
      issues.push({
        severity: "error",
        where: `${file}:${value.line}`,
        option: key,
        message: (err as Error).message,
      });
    }
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return out;
}

function unknownOptionMessage(name: string): string {
  const suggestion = didYouMean(name, KNOWN);
  const hint = suggestion ? `did you mean ${suggestion}? ` : "";
  return `unknown option [${COLLECTOR_SECTION}] ${name}; ${hint}known: ${KNOWN.join(", ")}`;
}

/** Reads one setting as env > option > file > default, parsing text values with `parse`. */
type Pick = <T>(
  key: Known,
  option: T | undefined,
  parse: (text: string) => T | undefined,
  fallback: T,
  expected: string | (() => string),
) => T;

/** A {@link Pick} that records each setting's source and collects bad values into `issues`. */
function settingPicker(
  env: Env,
  file: Map<Known, Raw>,
  issues: ConfigIssue[],
  sources: Record<string, string>,
): Pick {
  const fromEnv = (key: Known): Raw | undefined => {
    const override = findEnvOverride(env, ENV_PREFIXES, COLLECTOR_SECTION, key);
    return override === undefined ? undefined : { text: override.value, where: override.name };
  };
  return (key, option, parse, fallback, expected) => {
    const raw = fromEnv(key) ?? (option === undefined ? file.get(key) : undefined);
    if (raw) {
      const value = parse(raw.text);
      if (value === undefined) {
        const wanted = typeof expected === "function" ? expected() : expected;
        // A secret that fails to parse is never echoed back.
        const got = SECRET_OPTIONS.has(key) ? "a value that is not" : JSON.stringify(raw.text);
        issues.push({
          severity: "error",
          where: raw.where,
          option: key,
          message: `${key} must be ${wanted}, got ${got}`,
        });
        return fallback;
      }
      sources[key] = raw.where;
      return value;
    }
    if (option !== undefined) {
      sources[key] = "option";
      return option;
    }
    sources[key] = "default";
    return fallback;
  };
}

/**
 * Merges settings: `TRACKLET__COLLECTOR__*` env vars, then explicit options, then the `[collector]` section of
 * `options.configFile` (or `$TRACKLET_CONFIG`), then defaults. Invalid values throw a `ConfigError` naming
 * `file:line` or the env var.
 */
export function resolveCollectorSettings(options: CollectorOptions = {}): CollectorSettings {
  const env = options.env ?? process.env;
  const configFile = options.configFile ?? env.TRACKLET_CONFIG;
  const text = configFile ? readConfigFile(configFile) : null;
  const file = text !== null ? collectorSectionOf(text, configFile, env) : new Map<Known, Raw>();
  const issues: ConfigIssue[] = [];
  const sources: Record<string, string> = {};
  const pick = settingPicker(env, file, issues, sources);

  const bool = (t: string) => parseBoolean(t);
  const analyticsDisabled = pick(
    "analytics_disabled",
    options.analyticsDisabled,
    bool,
    false,
    "True or False",
  );
  const collectPageviews = pick("collect_pageviews", options.collectPageviews, bool, true, "True or False");
  const collectEvents = pick("collect_events", options.collectEvents, bool, true, "True or False");
  const collectServerEvents = pick(
    "collect_server_events",
    options.collectServerEvents,
    bool,
    true,
    "True or False",
  );
  const store = pick(
    "store",
    typeof options.store === "string" ? options.store : undefined,
    (t) => (t === "" ? undefined : t),
    DEFAULT_SQLITE_PATH,
    "a SQLite file path or a postgres:// URL",
  );
  const retentionDays = pick<number | null>(
    "retention_days",
    options.retentionDays,
    (t) => (t === "" || t === "None" ? null : parsePositiveInteger(t)),
    null,
    "a positive number of days or None",
  );
  const rateLimit = pick<RateLimitOptions | false>(
    "rate_limit",
    options.rateLimit,
    parseRateLimit,
    {},
    "`<per second>/<burst>`, `<per second>` or off",
  );
  const cors = pick<CorsSetting>(
    "cors_origins",
    options.cors,
    parseOrigins,
    [],
    "* or a comma-separated list of http(s) origins",
  );
  const bodyLimits = resolveBodyLimits(pick, options);
  const searchEvents = pick(
    "search_events",
    options.searchEvents,
    (t) => parseList(t),
    ["Search"],
    "a comma-separated list of event names",
  );
  const token = pick<string | undefined>(
    "stats_token",
    undefined,
    (t) => (t === "" ? undefined : t),
    undefined,
    "a non-empty token",
  );
  const coverageToken = pick<string | undefined>(
    "coverage_token",
    options.coverageToken,
    (t) => (t === "" ? undefined : t),
    undefined,
    "a non-empty token",
  );
  const siteSettings = resolveSiteSettings(pick, options);
  issues.push(...checkSiteSettings(siteSettings, sources));
  const forwardSettings = resolveForwardSettings(pick, options);
  issues.push(...checkForwardSettings(forwardSettings, sources.forward ?? "default"));
  const webserver = readWebserverSettings(text, configFile ?? "<none>", env);
  const analyticsMode = resolveAnalyticsMode(webserver, forwardSettings, issues);
  const conversions = resolveConversionSettings(text, configFile ?? "<none>", options, issues);
  if (issues.length > 0) throw new ConfigError(issues);
  const access: AccessRule | undefined = options.access ?? (token ? { token } : undefined);
  return {
    analyticsDisabled,
    collectPageviews,
    collectEvents,
    collectServerEvents,
    store,
    retentionDays,
    rateLimit,
    cors,
    ...bodyLimits,
    searchEvents,
    access,
    coverageToken,
    ...siteSettings,
    ...forwardSettings,
    ...analyticsMode,
    ...conversions,
    sources,
  };
}

/** How large a request body may be, and how long it may take to arrive. */
function resolveBodyLimits(
  pick: Pick,
  options: CollectorOptions,
): { maxBodyBytes: number; bodyTimeoutMs: number } {
  const maxBodyBytes = pick(
    "max_body_bytes",
    options.maxBodyBytes,
    (t) => parsePositiveInteger(t),
    64 * 1024,
    "a positive number of bytes",
  );
  const bodyTimeoutMs = pick(
    "body_timeout_ms",
    options.bodyTimeoutMs,
    (t) => parsePositiveInteger(t),
    DEFAULT_BODY_TIMEOUT_MS,
    "a positive number of milliseconds",
  );
  return { maxBodyBytes, bodyTimeoutMs };
}

interface SiteSettings {
  sites: string[] | null;
  maxSites: number;
  defaultSite: string | undefined;
}

function resolveSiteSettings(pick: Pick, options: CollectorOptions): SiteSettings {
  const sites = pick<string[] | null>(
    "sites",
    options.sites,
    (t) => {
      const list = parseList(t);
      return list.length > 0 && list.every((site) => site.length <= WIRE_LIMITS.maxSiteLength)
        ? list
        : undefined;
    },
    null,
    `a comma-separated list of site ids (each at most ${WIRE_LIMITS.maxSiteLength} characters)`,
  );
  const maxSites = pick(
    "max_sites",
    options.maxSites,
    (t) => parsePositiveInteger(t),
    DEFAULT_MAX_SITES,
    "a positive number of sites",
  );
  const defaultSite = pick<string | undefined>(
    "default_site",
    options.defaultSite,
    (t) => (t === "" ? undefined : t),
    undefined,
    "a site id",
  );
  return { sites, maxSites, defaultSite: defaultSite ?? sites?.[0] };
}

/** A default site outside the `sites` list could never have data. */
function checkSiteSettings(s: SiteSettings, sources: Record<string, string>): ConfigIssue[] {
  if (s.sites === null || s.defaultSite === undefined || s.sites.includes(s.defaultSite)) return [];
  return [
    {
      severity: "error",
      where: sources.default_site ?? "option",
      option: "default_site",
      message: `default_site ${JSON.stringify(s.defaultSite)} is not one of sites (${s.sites.join(", ")})`,
    },
  ];
}

function resolveForwardSettings(pick: Pick, options: CollectorOptions): ForwardSettings {
  let unknownTargets: string[] = [];
  const forward = pick<ForwardTarget[]>(
    "forward",
    options.forward,
    (t) => {
      const { targets, unknown } = parseForwardList(t);
      unknownTargets = unknown;
      return unknown.length === 0 ? targets : undefined;
    },
    [],
    () => `a comma-separated list of ga4, segment, metarouter; unknown: ${unknownTargets.join(", ")}`,
  );
  const text = (t: string) => (t === "" ? undefined : t);
  const secret = (key: Known, option: string | undefined) =>
    pick<string | undefined>(key, option, text, undefined, "a non-empty value");
  const endpoint = (key: Known, option: string | undefined) =>
    pick<string | undefined>(key, option, parseEndpoint, undefined, "an http(s) URL");
  return {
    forward,
    ga4MeasurementId: pick<string | undefined>(
      "ga4_measurement_id",
      options.ga4MeasurementId,
      text,
      undefined,
      "a measurement id (G-…)",
    ),
    ga4ApiSecret: secret("ga4_api_secret", options.ga4ApiSecret),
    ga4Endpoint: endpoint("ga4_endpoint", options.ga4Endpoint),
    segmentWriteKey: secret("segment_write_key", options.segmentWriteKey),
    segmentEndpoint: endpoint("segment_endpoint", options.segmentEndpoint),
    metarouterWriteKey: secret("metarouter_write_key", options.metarouterWriteKey),
    metarouterEndpoint: endpoint("metarouter_endpoint", options.metarouterEndpoint),
  };
}

function parseRateLimit(t: string): RateLimitOptions | false | undefined {
  const word = t.toLowerCase();
  if (word === "off" || word === "false" || word === "none") return false;
  const m = /^(\d+(?:\.\d+)?)\s*(?:\/\s*(\d+))?$/.exec(t);
  if (!m) return undefined;
  const perSecond = Number(m[1]);
  const burst = m[2] !== undefined ? Number(m[2]) : Math.max(1, Math.ceil(perSecond * 5));
  return perSecond > 0 && burst >= 1 ? { perSecond, burst } : undefined;
}

function parseOrigins(t: string): CorsSetting | undefined {
  if (t === "*") return "*";
  const list = parseList(t);
  for (const origin of list) {
    try {
      const u = new URL(origin);
      if ((u.protocol !== "http:" && u.protocol !== "https:") || u.origin !== origin.replace(/\/$/, ""))
        return undefined;
    } catch {
      return undefined;
    }
  }
  return list;
}
