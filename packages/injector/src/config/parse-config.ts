import { isAbsolute, resolve } from "node:path";
import { inspect } from "node:util";
import {
  ConfigError,
  type ConfigIssue,
  checkEnvPrefixes,
  DEFAULT_ENV_PREFIXES,
  didYouMean,
  type Env,
  ExpansionError,
  envOverridesIn,
  expandEnv,
  findEnvOverride,
  type IniDocument,
  InterpolationError,
  interpolate,
  isRootRelativePath,
  isUnsetWord,
  lookup,
  maskSecret,
  parseBoolean,
  parseHttpUrl,
  parseIni,
  parsePositiveInteger,
  readConfigFile,
} from "@tracklet/config";
import { ANALYTICS_TOOLS, type AnalyticsSettings, type AnalyticsTool, type ValueSource } from "../types.js";
import { countsFirstParty, modeProblems, parseMode } from "./analytics-mode.js";
import { maskSettings } from "./mask-settings.js";
import { isSecretOption, looksLikeOurs, OPTION_NAMES, OPTIONS, type OptionSpec } from "./options.js";
import {
  type ListResult,
  parseExtensionList,
  parseParameterList,
  parsePathList,
  parseTrackList,
} from "./sdk-lists.js";

/** Env override prefixes, highest priority first: `TRACKLET__WEBSERVER__ANALYTICS_TOOL` beats `AIRFLOW__...`. */
export const DEFAULT_PREFIXES: readonly string[] = DEFAULT_ENV_PREFIXES;
/** Where the tracklet tool's script and collector live unless `analytics_script_url` / `analytics_url` say otherwise. */
export const TRACKLET_DEFAULT_SCRIPT_URL = "/tracklet/tracklet.js";
export const TRACKLET_DEFAULT_ENDPOINT = "/tracklet/collect";

/** Options of tracklet's own reporting that also apply when another tool runs in first-party mode. */
const REPORTING_OPTIONS: ReadonlySet<string> = new Set([
  "analytics_site",
  "analytics_coverage_url",
  "analytics_coverage_token",
]);

/** Text that makes browsers refuse a script element's nonce when it appears in one of its attribute values. */
const NONCE_BREAKER = /<(?:script|style)/i;
/** UserALE passes its timers to setInterval, which takes a 32-bit signed int. */
const MAX_TIMER_MS = 2_147_483_647;

export interface ParseConfigOptions {
  /** File name used in messages; default `airflow.cfg`. */
  file?: string;
  /** Environment for `${VAR}` expansion and `PREFIX__SECTION__KEY` overrides; default `process.env`. */
  env?: Env;
  /** Override prefixes, highest priority first; default {@link DEFAULT_PREFIXES}. */
  prefixes?: readonly string[];
  /** Section holding the options; default `webserver`. */
  section?: string;
}

export interface ParsedConfig {
  settings: AnalyticsSettings;
  warnings: ConfigIssue[];
}

export interface LoadConfigOptions extends Omit<ParseConfigOptions, "file"> {
  /** Config file; default `$TRACKLET_CONFIG`, else `./airflow.cfg`. */
  path?: string;
  /** Directory relative paths are resolved against; default `process.cwd()`. */
  cwd?: string;
}

export interface LoadedConfig extends ParsedConfig {
  /** The file that was read, or `null` when the default `airflow.cfg` does not exist (env overrides only). */
  file: string | null;
}

interface RawOption {
  spec: OptionSpec;
  text: string;
  source: ValueSource;
  where: string;
}

const MAX_SHOWN = 80;

function show(value: string): string {
  const shown = value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN - 3)}...` : value;
  return JSON.stringify(shown);
}

function isTool(value: string): value is AnalyticsTool {
  return (ANALYTICS_TOOLS as readonly string[]).includes(value);
}

/** Resolves one config: collects every issue, then throws them together or returns the settings. */
class Resolver {
  readonly errors: ConfigIssue[] = [];
  readonly warnings: ConfigIssue[] = [];
  readonly settings: AnalyticsSettings = {
    tool: null,
    spaPageviews: false,
    useralejs: {},
    sdk: {},
    sources: {},
  };
  private readonly raw = new Map<string, RawOption>();
  /** `analytics_coverage_url` and `_token` as read; both or neither make `settings.coverage`. */
  private readonly coverage: { url?: string; token?: string } = {};
  private readonly texts = new Map<string, string | undefined>();
  /** The tool as written, for deciding which ids are secret before it is validated. */
  private toolText: string | null = null;

  constructor(
    private readonly doc: IniDocument | null,
    private readonly file: string,
    private readonly env: Env,
    private readonly prefixes: readonly string[],
    private readonly section: string,
  ) {}

  private add(
    severity: ConfigIssue["severity"],
    where: string,
    option: string | undefined,
    detail: string,
    extra: Pick<ConfigIssue, "expected" | "found" | "suggestion"> = {},
  ): void {
    const message = option ? `[${this.section}] ${option}: ${detail}` : detail;
    const issue: ConfigIssue = { severity, where, message, ...extra };
    if (option) issue.option = option;
    (severity === "error" ? this.errors : this.warnings).push(issue);
  }

  /** `expected X; found "y" (did you mean "z"?)`, with the value masked for secrets. */
  private invalid(raw: RawOption, value: string, expected: string, hint?: string, suggestion?: string): void {
    const found = this.display(raw.spec.name, value);
    const tail = hint ? ` (${hint})` : "";
    this.add("error", raw.where, raw.spec.name, `expected ${expected}; found ${found}${tail}`, {
      expected,
      found,
      ...(suggestion ? { suggestion } : {}),
    });
  }

  private display(option: string, value: string): string {
    return isSecretOption(option, this.toolText) ? maskSecret(value) : show(value);
  }

  collect(): void {
    for (const spec of OPTIONS) {
      const override = findEnvOverride(this.env, this.prefixes, this.section, spec.name);
      if (override !== undefined) {
        const source: ValueSource = { kind: "env", envVar: override.name };
        this.raw.set(spec.name, { spec, text: override.value, source, where: override.name });
        continue;
      }
      const value = this.doc ? lookup(this.doc, this.section, spec.name) : undefined;
      if (value) {
        const where = `${this.file}:${value.line}`;
        this.raw.set(spec.name, {
          spec,
          text: value.raw,
          source: { kind: "file", file: this.file, line: value.line },
          where,
        });
      }
    }
    this.toolText = this.raw.get("analytics_tool")?.text.trim() ?? null;
    this.warnAboutLookalikes();
  }

  /** Warn about options (in the section or the environment) that look like misspelt tracklet options. */
  private warnAboutLookalikes(): void {
    const section = this.doc?.sections.get(this.section.toLowerCase());
    const seen = new Set<string>();
    for (const [key, value] of section?.options ?? []) {
      this.warnIfLookalike(key, `${this.file}:${value.line}`);
      seen.add(key);
    }
    for (const { option, name } of envOverridesIn(this.env, this.prefixes, this.section)) {
      this.warnIfLookalike(option, name);
    }
  }

  private warnIfLookalike(key: string, where: string): void {
    if (OPTION_NAMES.includes(key)) return;
    const suggestion = didYouMean(key, OPTION_NAMES, key.length > 20 ? 3 : 2);
    if (!looksLikeOurs(key, suggestion)) return;
    const hint = suggestion
      ? `did you mean "${suggestion}"?`
      : `tracklet reads ${OPTION_NAMES.slice(0, 6).join(", ")} and apache_flagon_useralejs_data_*`;
    this.add(
      "warning",
      where,
      key,
      `unknown analytics option, ignored (${hint})`,
      suggestion ? { suggestion } : {},
    );
  }

  /**
   * Interpolate (file values), expand env references and apply `None`/empty = unset. `X or None` makes
   * the option optional: unset when a variable in X is unset or X expands to nothing.
   */
  text(name: string): string | undefined {
    if (!this.texts.has(name)) this.texts.set(name, this.readText(name));
    return this.texts.get(name);
  }

  private readText(name: string): string | undefined {
    const raw = this.raw.get(name);
    if (!raw) return undefined;
    let text = raw.text;
    if (/\s[#;]/.test(text)) {
      const marker = /\s([#;])/.exec(text)?.[1] ?? "#";
      this.add(
        "warning",
        raw.where,
        name,
        `the value contains " ${marker}": airflow.cfg has no inline comments, so the rest of the line is part of the value; put the comment on its own line`,
      );
    }
    if (raw.source.kind === "file" && this.doc) {
      try {
        text = interpolate(this.doc, this.section, text);
      } catch (error) {
        if (!(error instanceof InterpolationError)) throw error;
        this.add("error", raw.where, name, error.message);
        return undefined;
      }
    }
    const orNone = /\s+or\s+None$/.exec(text);
    try {
      const expanded = expandEnv(orNone ? text.slice(0, orNone.index) : text, this.env);
      return isUnsetWord(expanded.trim()) ? undefined : expanded.trim();
    } catch (error) {
      if (!(error instanceof ExpansionError)) throw error;
      if (orNone && error.variable !== "") return undefined;
      const hint =
        error.variable && !orNone
          ? ` (set it, or write "... or None" to leave the option unset without it)`
          : "";
      this.add("error", raw.where, name, `${error.message}${hint}`);
      return undefined;
    }
  }

  private record(name: string): void {
    const raw = this.raw.get(name);
    if (raw) this.settings.sources[name] = raw.source;
  }

  resolve(): void {
    this.resolveTool();
    const tool = this.settings.tool;
    for (const spec of OPTIONS) {
      if (spec.name === "analytics_tool") continue;
      const text = this.text(spec.name);
      if (text === undefined) continue;
      const raw = this.raw.get(spec.name) as RawOption;
      if (tool === null && this.toolText === null) {
        this.add(
          "warning",
          raw.where,
          spec.name,
          "ignored: analytics_tool is not set, so nothing is injected",
        );
      } else if (
        tool !== null &&
        spec.usedBy !== "all" &&
        !spec.usedBy.includes(tool) &&
        !(countsFirstParty(this.settings.mode) && (spec.sdkKey || REPORTING_OPTIONS.has(spec.name)))
      ) {
        this.add("warning", raw.where, spec.name, `ignored: analytics_tool "${tool}" does not use it`);
      }
      this.resolveOption(raw, text);
    }
    this.checkRequired();
    this.checkSdkOptions();
    this.checkCoverage();
  }

  /** The page counts are posted only with both the URL and the token the collector checks. */
  private checkCoverage(): void {
    const { url, token } = this.coverage;
    if (url !== undefined && token !== undefined) {
      this.settings.coverage = { url, token };
      return;
    }
    const [given, missing] =
      url !== undefined
        ? ["analytics_coverage_url", "analytics_coverage_token"]
        : ["analytics_coverage_token", "analytics_coverage_url"];
    const raw = this.raw.get(given);
    if ((url === undefined && token === undefined) || !raw) return;
    if (this.errors.some((e) => e.option === missing)) return;
    this.add(
      "error",
      raw.where,
      missing,
      `required with ${given} (the collector refuses page counts without it), but not set`,
    );
  }

  /** Browser SDK options that are set but cannot take effect, and the `None` of `analytics_track`. */
  private checkSdkOptions(): void {
    const tool = this.settings.tool;
    const track = this.raw.get("analytics_track");
    if (track?.text.trim() === "None") {
      this.add(
        "warning",
        track.where,
        "analytics_track",
        `"None" leaves the option unset, so the SDK's defaults apply (tagged, engagement); write "none" for pageviews only`,
      );
    }
    const extensions = this.raw.get("analytics_download_extensions");
    const tracked = this.settings.sdk?.track;
    if (extensions && this.settings.sdk?.downloadExtensions && !tracked?.includes("downloads")) {
      this.add(
        "warning",
        extensions.where,
        "analytics_download_extensions",
        'ignored: analytics_track does not include "downloads"',
      );
    }
    if (tool === null || tool === "tracklet" || this.settings.spaPageviews) return;
    if (countsFirstParty(this.settings.mode)) return;
    for (const spec of OPTIONS) {
      const raw = this.raw.get(spec.name);
      if (!spec.sdkKey || !raw || spec.usedBy === "all" || !spec.usedBy.includes(tool)) continue;
      if (this.text(spec.name) === undefined) continue;
      this.add(
        "warning",
        raw.where,
        spec.name,
        `ignored: tracklet's browser SDK is added next to "${tool}" only with analytics_spa_pageviews = True`,
      );
    }
  }

  private resolveTool(): void {
    const raw = this.raw.get("analytics_tool");
    const text = this.text("analytics_tool");
    if (!raw || text === undefined) {
      this.toolText = null;
      return;
    }
    this.record("analytics_tool");
    if (isTool(text)) {
      this.settings.tool = text;
      return;
    }
    const expected = `one of ${ANALYTICS_TOOLS.join(", ")}`;
    const commented = /^(\S+)\s+[#;]/.exec(text)?.[1];
    if (commented !== undefined && isTool(commented)) {
      this.invalid(
        raw,
        text,
        expected,
        `did you mean "${commented}"? the comment is part of the value`,
        commented,
      );
      return;
    }
    const suggestion = didYouMean(text, ANALYTICS_TOOLS);
    this.invalid(raw, text, expected, suggestion ? `did you mean "${suggestion}"?` : undefined, suggestion);
  }

  private resolveOption(raw: RawOption, text: string): void {
    const { spec } = raw;
    const name = spec.name;
    if (NONCE_BREAKER.test(text)) {
      // Escaping keeps such a value inert, but the snippet itself would be blocked: browsers ignore the nonce
      // of a <script> whose attribute values contain "<script" or "<style" (HTML's "is element nonceable").
      this.invalid(
        raw,
        text,
        'a value without "<script" or "<style"',
        "browsers would ignore the snippet's CSP nonce and block it",
      );
      return;
    }
    switch (spec.type) {
      case "id":
        if (this.checkId(raw, text)) this.settings.id = text;
        break;
      case "endpoint": {
        const url = this.checkEndpoint(raw, text);
        if (url !== undefined) this.settings.url = url;
        break;
      }
      case "scriptUrl":
        if (isRootRelativePath(text) || "url" in parseHttpUrl(text)) this.settings.scriptUrl = text;
        else this.invalid(raw, text, `an http(s) URL or a path starting with "/"`);
        break;
      case "site":
        if (/^[A-Za-z0-9._:-]{1,128}$/.test(text)) this.settings.site = text;
        else this.invalid(raw, text, `a site id of 1-128 letters, digits, ".", "_", ":" or "-"`);
        break;
      case "boolean": {
        const value = parseBoolean(text);
        if (value === undefined) {
          this.invalid(raw, text, "a boolean (true/false, yes/no, on/off, 1/0, t/f)");
          return;
        }
        if (name === "analytics_spa_pageviews") this.settings.spaPageviews = value;
        else if (spec.sdkKey === "hashRouting") this.setSdk(spec, value);
        else this.setUserAle(spec, value);
        break;
      }
      case "trackList":
        this.setSdkList(raw, parseTrackList(text));
        break;
      case "extensionList":
        this.setSdkList(raw, parseExtensionList(text));
        break;
      case "pathList":
        this.setSdkList(raw, parsePathList(text));
        break;
      case "parameterList":
        this.setSdkList(raw, parseParameterList(text));
        break;
      case "positiveInteger": {
        const value = parsePositiveInteger(text, MAX_TIMER_MS);
        if (value === undefined) this.invalid(raw, text, "a positive integer (milliseconds or a count)");
        else this.setUserAle(spec, value);
        break;
      }
      case "httpUrl": {
        const parsed = parseHttpUrl(text);
        if ("reason" in parsed) this.invalid(raw, text, "an absolute http(s) URL", parsed.reason);
        else this.setUserAle(spec, text);
        break;
      }
      case "version":
        if (/^\d+(\.\d+){0,2}([-+][0-9A-Za-z.+-]+)?$/.test(text)) this.setUserAle(spec, text);
        else this.invalid(raw, text, `a version like "2.1.0"`);
        break;
      case "text":
        this.setUserAle(spec, text);
        break;
      case "mode": {
        const parsed = parseMode(text);
        if ("mode" in parsed) this.settings.mode = parsed.mode;
        else this.invalid(raw, text, parsed.expected, parsed.hint, parsed.suggestion);
        break;
      }
      case "coverageUrl": {
        const parsed = parseHttpUrl(text);
        if ("reason" in parsed)
          this.invalid(
            raw,
            text,
            "the absolute http(s) URL of the collector's documents endpoint",
            parsed.reason,
          );
        else this.coverage.url = text;
        break;
      }
      case "coverageToken":
        this.coverage.token = text;
        break;
      case "tool":
        break;
    }
    if (!this.errors.some((e) => e.option === name)) this.record(name);
  }

  /** A list option: each invalid item is an error of its own (with a did-you-mean when one is close). */
  private setSdkList(raw: RawOption, result: ListResult<string>): void {
    for (const bad of result.bad) this.invalid(raw, bad.item, bad.expected, bad.hint, bad.suggestion);
    if (result.bad.length === 0) this.setSdk(raw.spec, result.items);
  }

  private setSdk(spec: OptionSpec, value: boolean | string[]): void {
    if (spec.sdkKey) (this.settings.sdk as Record<string, unknown>)[spec.sdkKey] = value;
  }

  private setUserAle(spec: OptionSpec, value: string | number | boolean): void {
    if (spec.useraleKey) (this.settings.useralejs as Record<string, unknown>)[spec.useraleKey] = value;
  }

  private checkId(raw: RawOption, text: string): boolean {
    const tool = this.settings.tool;
    if (tool === "google_analytics") {
      if (/^(G|GT|AW)-[A-Z0-9]{4,}$/.test(text)) return true;
      if (/^UA-\d+-\d+$/.test(text)) {
        this.add(
          "warning",
          raw.where,
          raw.spec.name,
          "a Universal Analytics id (UA-...): Google stopped processing UA data in July 2023; use a GA4 measurement id (G-...)",
        );
        return true;
      }
      const upper = text.toUpperCase();
      const hint =
        upper !== text && /^(G|GT|AW)-[A-Z0-9]{4,}$/.test(upper)
          ? `ids are upper case: "${upper}"`
          : undefined;
      this.invalid(raw, text, `a GA4 measurement id like "G-XXXXXXXXXX" (or GT-/AW-/UA-NNN-N)`, hint);
      return false;
    }
    if (tool === "segment" || tool === "metarouter") {
      if (/^[A-Za-z0-9_-]{1,64}$/.test(text)) return true;
      const reason =
        text.length > 64
          ? `the value is ${text.length} characters long`
          : `the value contains characters other than letters, digits, "_" and "-"`;
      this.invalid(raw, text, `a write key of 1-64 letters, digits, "_" or "-"`, reason);
      return false;
    }
    if (tool === "matomo") {
      if (/^[1-9]\d{0,9}$/.test(text)) return true;
      this.invalid(raw, text, "a Matomo site id (a positive integer)");
      return false;
    }
    return true;
  }

  private checkEndpoint(raw: RawOption, text: string): string | undefined {
    const tool = this.settings.tool;
    const parsed = parseHttpUrl(text);
    if (tool === "matomo") {
      if ("reason" in parsed) {
        this.invalid(raw, text, "the absolute http(s) URL of the Matomo instance", parsed.reason);
        return undefined;
      }
      if (parsed.url.search || parsed.url.hash) {
        this.invalid(
          raw,
          text,
          "the absolute http(s) URL of the Matomo instance",
          "drop the query string and fragment",
        );
        return undefined;
      }
      return text.endsWith("/") ? text : `${text}/`;
    }
    if ("url" in parsed || isRootRelativePath(text)) return text;
    this.invalid(raw, text, `an http(s) URL or a path starting with "/"`);
    return undefined;
  }

  /** Options a tool cannot work without, reported at the `analytics_tool` line. */
  private checkRequired(): void {
    const tool = this.settings.tool;
    const toolRaw = this.raw.get("analytics_tool");
    if (tool === null || !toolRaw) return;
    const requireOption = (name: string, what: string) => {
      if (this.text(name) !== undefined) return;
      if (this.errors.some((e) => e.option === name)) return;
      this.add(
        "error",
        toolRaw.where,
        name,
        `required when analytics_tool is "${tool}" (${what}), but not set`,
      );
    };
    if (tool === "google_analytics") requireOption("analytics_id", "the GA4 measurement id, G-XXXXXXXXXX");
    if (tool === "segment") requireOption("analytics_id", "the Segment source write key");
    if (tool === "metarouter") requireOption("analytics_id", "the MetaRouter write key");
    if (tool === "matomo") {
      requireOption("analytics_id", "the Matomo site id");
      requireOption("analytics_url", "the Matomo base URL");
    }
    if (tool === "apache_flagon_useralejs") {
      requireOption("apache_flagon_useralejs_data_url", "the endpoint UserALE posts its logs to");
    }
    if (tool === "tracklet") {
      if (this.settings.url === undefined && !this.errors.some((e) => e.option === "analytics_url")) {
        this.settings.url = TRACKLET_DEFAULT_ENDPOINT;
        this.settings.sources.analytics_url = { kind: "default" };
      }
      if (
        this.settings.scriptUrl === undefined &&
        !this.errors.some((e) => e.option === "analytics_script_url")
      ) {
        this.settings.scriptUrl = TRACKLET_DEFAULT_SCRIPT_URL;
        this.settings.sources.analytics_script_url = { kind: "default" };
      }
    }
    this.checkMode();
    if (this.settings.sources.analytics_spa_pageviews === undefined) {
      this.settings.sources.analytics_spa_pageviews = { kind: "default" };
    }
    // The browser SDK forwards SPA route changes to gtag, analytics.js and UserALE; Matomo has no bridge.
    const spa = this.raw.get("analytics_spa_pageviews");
    if (this.settings.spaPageviews && tool === "matomo" && spa !== undefined) {
      this.add(
        "warning",
        spa.where,
        "analytics_spa_pageviews",
        'has no effect with analytics_tool "matomo": call _paq.push(["trackPageView"]) on route changes',
      );
    }
  }

  /** What `analytics_mode` needs: a tool the collector forwards to, and a collector to send events to. */
  private checkMode(): void {
    const raw = this.raw.get("analytics_mode");
    if (!raw || this.settings.mode === undefined) return;
    const hasCollector =
      (this.doc?.sections.has("collector") ?? false) ||
      this.prefixes.some((prefix) =>
        Object.keys(this.env).some((name) => name.toUpperCase().startsWith(`${prefix}__COLLECTOR__`)),
      );
    for (const problem of modeProblems(this.settings.mode, this.settings.tool, hasCollector)) {
      this.add(problem.severity, raw.where, "analytics_mode", problem.message);
    }
    const scriptUrl = this.raw.get("analytics_script_url");
    if (this.settings.mode === "first_party" && this.settings.tool !== "tracklet" && scriptUrl) {
      this.add(
        "warning",
        scriptUrl.where,
        "analytics_script_url",
        "ignored: with analytics_mode = first_party the page loads tracklet's SDK, not the vendor's script",
      );
    }
    const spa = this.raw.get("analytics_spa_pageviews");
    if (this.settings.mode === "first_party" && this.settings.spaPageviews && spa) {
      this.add(
        "warning",
        spa.where,
        "analytics_spa_pageviews",
        "ignored: with analytics_mode = first_party tracklet's SDK counts SPA navigations and the collector forwards them",
      );
    }
  }
}

/** Hide secrets when settings are JSON-stringified or inspected (console.log, util.inspect). */
function guard(settings: AnalyticsSettings): AnalyticsSettings {
  Object.defineProperty(settings, "toJSON", { value: () => maskSettings(settings), enumerable: false });
  Object.defineProperty(settings, inspect.custom, {
    value: (_depth: number, options: object) => inspect(maskSettings(settings), options),
    enumerable: false,
  });
  return settings;
}

/** Issues sorted by line for the file's own, then the environment's in name order (stable otherwise). */
function inFileOrder(issues: ConfigIssue[], file: string): ConfigIssue[] {
  const key = (issue: ConfigIssue): number => {
    const line = issue.where.startsWith(`${file}:`) ? Number(issue.where.slice(file.length + 1)) : Number.NaN;
    return Number.isInteger(line) ? line : Number.MAX_SAFE_INTEGER;
  };
  return issues
    .map((issue, index) => ({ issue, index }))
    .sort((a, b) => key(a.issue) - key(b.issue) || a.index - b.index)
    .map((entry) => entry.issue);
}

/**
 * Resolve the `[webserver]` analytics settings from ini text (or `null` for "no file") and the environment.
 * Throws {@link ConfigError} listing every problem when the config cannot be used.
 */
export function parseConfig(text: string | null, options: ParseConfigOptions = {}): ParsedConfig {
  const file = options.file ?? "airflow.cfg";
  const env = options.env ?? process.env;
  const prefixes = options.prefixes ?? DEFAULT_PREFIXES;
  const section = (options.section ?? "webserver").toLowerCase();
  checkEnvPrefixes(prefixes);
  // Syntax problems throw an IniSyntaxError, a ConfigError with one `file:line` issue per problem.
  const doc: IniDocument | null = text === null ? null : parseIni(text, { file });
  const resolver = new Resolver(doc, file, env, prefixes, section);
  resolver.collect();
  resolver.resolve();
  const errors = inFileOrder(resolver.errors, file);
  const warnings = inFileOrder(resolver.warnings, file);
  if (errors.length > 0) throw new ConfigError(errors, warnings);
  return { settings: guard(resolver.settings), warnings };
}

/**
 * Read and resolve the config file. The default `./airflow.cfg` may be missing (then only env overrides
 * count, and without `analytics_tool` injection is off); a file named explicitly (`path` or
 * `$TRACKLET_CONFIG`) must exist.
 */
export function loadConfig(options: LoadConfigOptions = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const explicit = options.path ?? (env.TRACKLET_CONFIG || undefined);
  const shown = explicit ?? "airflow.cfg";
  const fullPath = isAbsolute(shown) ? shown : resolve(cwd, shown);
  const text = readConfigFile(fullPath, {
    shown,
    optional: explicit === undefined,
    note: options.path === undefined && explicit !== undefined ? " (from TRACKLET_CONFIG)" : "",
  });
  const parsed = parseConfig(text, {
    file: shown,
    env,
    ...(options.prefixes ? { prefixes: options.prefixes } : {}),
    ...(options.section ? { section: options.section } : {}),
  });
  return { ...parsed, file: text === null ? null : shown };
}
