// src/config/options.ts
var USERALE = ["apache_flagon_useralejs"];
function userale(suffix, type, useraleKey, secret = false) {
  return {
    name: `apache_flagon_useralejs_data_${suffix}`,
    type,
    usedBy: USERALE,
    useraleKey,
    ...secret ? { secret: "always" } : {}
  };
}
var SPA_BRIDGE_TOOLS = [
  "google_analytics",
  "segment",
  "metarouter",
  "apache_flagon_useralejs"
];
function sdk(name, type, sdkKey, bridge) {
  return { name, type, sdkKey, usedBy: bridge ? ["tracklet", ...SPA_BRIDGE_TOOLS] : ["tracklet"] };
}
var OPTIONS = [
  { name: "analytics_tool", type: "tool", usedBy: "all" },
  {
    name: "analytics_id",
    type: "id",
    secret: "writeKey",
    usedBy: ["google_analytics", "segment", "metarouter", "matomo"]
  },
  {
    name: "analytics_mode",
    type: "mode",
    usedBy: ["google_analytics", "segment", "metarouter", "matomo", "apache_flagon_useralejs"]
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
  userale("auth", "text", "auth", true),
  userale("autostart", "boolean", "autostart"),
  userale("interval", "positiveInteger", "interval"),
  userale("log_details", "boolean", "logDetails"),
  userale("resolution", "positiveInteger", "resolution"),
  userale("threshold", "positiveInteger", "threshold"),
  userale("tool", "text", "tool"),
  userale("user", "text", "user"),
  userale("url", "httpUrl", "url"),
  userale("version", "version", "version")
];
var OPTION_NAMES = OPTIONS.map((o) => o.name);
var WRITE_KEY_TOOLS = /* @__PURE__ */ new Set(["segment", "metarouter"]);
function isSecretOption(name, tool) {
  const spec = OPTIONS.find((o) => o.name === name);
  if (!spec?.secret) return false;
  if (spec.secret === "always") return true;
  return tool === null || tool === void 0 || WRITE_KEY_TOOLS.has(tool) || !isPublicIdTool(tool);
}
function isPublicIdTool(tool) {
  return tool === "google_analytics" || tool === "matomo";
}
function looksLikeOurs(name, suggestion) {
  return suggestion !== void 0 || name.startsWith("analytics_") || name.startsWith("analytical_") || name.includes("flagon") || name.includes("userale");
}

// src/config/mask-settings.ts
import { maskSecret, maskUrlCredentials } from "@tracklet/config";
function maskSettings(settings) {
  const secret = (option, value) => isSecretOption(option, settings.tool) ? maskSecret(value) : maskUrlCredentials(value);
  const useralejs = { ...settings.useralejs };
  if (useralejs.auth !== void 0) useralejs.auth = maskSecret(useralejs.auth);
  if (useralejs.url !== void 0) useralejs.url = maskUrlCredentials(useralejs.url);
  const masked = {
    tool: settings.tool,
    ...settings.mode ? { mode: settings.mode } : {},
    spaPageviews: settings.spaPageviews,
    useralejs,
    ...settings.sdk ? { sdk: structuredClone(settings.sdk) } : {},
    sources: structuredClone(settings.sources)
  };
  if (settings.id !== void 0) masked.id = secret("analytics_id", settings.id);
  if (settings.url !== void 0) masked.url = maskUrlCredentials(settings.url);
  if (settings.scriptUrl !== void 0) masked.scriptUrl = maskUrlCredentials(settings.scriptUrl);
  if (settings.site !== void 0) masked.site = settings.site;
  return masked;
}
function describeSource(source) {
  if (!source || source.kind === "default") return "default";
  if (source.kind === "env") return `env ${source.envVar ?? "?"}`;
  return source.line === void 0 ? source.file ?? "file" : `${source.file ?? "file"}:${source.line}`;
}
function optionValue(masked, option) {
  const spec = OPTIONS.find((o) => o.name === option);
  if (spec?.useraleKey) return masked.useralejs[spec.useraleKey];
  if (spec?.sdkKey) {
    const value = masked.sdk?.[spec.sdkKey];
    return Array.isArray(value) ? value.join(", ") || "none" : value;
  }
  switch (option) {
    case "analytics_tool":
      return masked.tool ?? void 0;
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
    default:
      return void 0;
  }
}
function formatSettings(settings) {
  const masked = maskSettings(settings);
  const rows = [];
  for (const spec of OPTIONS) {
    const value = optionValue(masked, spec.name);
    if (value === void 0) continue;
    if (spec.name === "analytics_spa_pageviews" && settings.tool === null) continue;
    rows.push([spec.name, String(value), describeSource(settings.sources[spec.name])]);
  }
  if (settings.tool === null) rows.unshift(["analytics_tool", "(not set: injection is off)", ""]);
  const nameWidth = Math.max(...rows.map((r) => r[0].length));
  const valueWidth = Math.min(48, Math.max(...rows.map((r) => r[1].length)));
  return rows.map(
    ([name, value, source]) => `${name.padEnd(nameWidth)} = ${source ? `${value.padEnd(valueWidth)}  (${source})` : value}`.trimEnd()
  ).join("\n");
}

// src/types.ts
var ANALYTICS_TOOLS = [
  "apache_flagon_useralejs",
  "google_analytics",
  "metarouter",
  "segment",
  "matomo",
  "tracklet"
];
var ANALYTICS_MODES = ["client", "first_party", "both"];
var FIRST_PARTY_TOOLS = ["google_analytics", "segment", "metarouter", "matomo"];
var TRACKED_FEATURES = ["outbound", "downloads", "tagged", "engagement"];
var SNIPPET_MARKER = "data-tracklet-snippet";

// src/config/parse-config.ts
import { isAbsolute, resolve } from "path";
import { inspect } from "util";
import {
  ConfigError,
  checkEnvPrefixes,
  DEFAULT_ENV_PREFIXES,
  didYouMean as didYouMean3,
  ExpansionError,
  envOverridesIn,
  expandEnv,
  findEnvOverride,
  InterpolationError,
  interpolate,
  isRootRelativePath,
  isUnsetWord,
  lookup,
  maskSecret as maskSecret2,
  parseBoolean,
  parseHttpUrl,
  parseIni,
  parsePositiveInteger,
  readConfigFile
} from "@tracklet/config";

// src/config/analytics-mode.ts
import { didYouMean } from "@tracklet/config";
function parseMode(text) {
  const mode = ANALYTICS_MODES.find((m) => m === text);
  if (mode) return { mode };
  const expected = `one of ${ANALYTICS_MODES.join(", ")}`;
  const suggestion = didYouMean(text.toLowerCase().replace(/[-\s]/g, "_"), ANALYTICS_MODES);
  return suggestion ? { expected, hint: `did you mean "${suggestion}"?`, suggestion } : { expected };
}
function countsFirstParty(mode) {
  return mode === "first_party" || mode === "both";
}
function modeProblems(mode, tool, hasCollector) {
  if (mode === "client" || tool === null || tool === "tracklet") return [];
  const problems = [];
  if (mode === "first_party" && !FIRST_PARTY_TOOLS.includes(tool)) {
    problems.push({
      severity: "error",
      message: `first_party is not available for analytics_tool "${tool}": the collector forwards to ${FIRST_PARTY_TOOLS.join(", ")} only; use "client" or "both"`
    });
  }
  if (!hasCollector) {
    const what = mode === "first_party" ? "which forwards them to the vendor" : "which stores them next to the vendor's";
    problems.push({
      severity: "error",
      message: `${mode} sends the page's events to tracklet's collector, ${what}, but the config has no [collector] section; add one (the collector reads its settings there) and mount createCollector`
    });
  }
  return problems;
}

// src/config/sdk-lists.ts
import { didYouMean as didYouMean2, parseList } from "@tracklet/config";
function listItems(text) {
  return [...new Set(parseList(text).flatMap((item) => item.split(/\s+/)))];
}
var TRACK_WORDS = [...TRACKED_FEATURES, "none"];
var TRACK_EXPECTED = `"none" or any of ${TRACKED_FEATURES.join(", ")}`;
function parseTrackList(text) {
  const words = [...new Set(listItems(text).map((item) => item.toLowerCase()))];
  const result = eachItem(words, (item) => {
    if (TRACK_WORDS.includes(item)) return void 0;
    const suggestion = didYouMean2(item, TRACK_WORDS);
    return {
      item,
      expected: TRACK_EXPECTED,
      ...suggestion ? { hint: `did you mean "${suggestion}"?`, suggestion } : {}
    };
  });
  if (!words.includes("none")) return result;
  if (words.length > 1)
    result.bad.push({
      item: "none",
      expected: TRACK_EXPECTED,
      hint: `"none" means pageviews only: write it alone`
    });
  return { items: [], bad: result.bad };
}
var EXTENSION = /^[A-Za-z0-9]+(?:[._-][A-Za-z0-9]+)*$/;
function parseExtensionList(text) {
  const expected = `file extensions like "pdf" or "tar.gz" (letters, digits, and ".", "_" or "-" inside)`;
  return eachItem(listItems(text), (item) => {
    if (EXTENSION.test(item)) return void 0;
    const bare = item.replace(/^\*?\.+/, "");
    if (bare !== item && EXTENSION.test(bare))
      return {
        item,
        expected,
        hint: `did you mean "${bare}"? extensions are written without the dot`,
        suggestion: bare
      };
    return { item, expected };
  });
}
var PATH_PATTERN = /^\/[A-Za-z0-9\-._~!$&'()*+;=:@%/]*$/;
function parsePathList(text) {
  const expected = `path patterns starting with "/" ("*" matches anything), like "/blog/*"`;
  return eachItem(listItems(text), (item) => {
    if (PATH_PATTERN.test(item)) return void 0;
    const fromUrl = /^https?:\/\/[^/]+(\/.*)?$/i.exec(item);
    const fixed = fromUrl ? fromUrl[1] ?? "/" : item.startsWith("/") ? void 0 : `/${item}`;
    if (fixed !== void 0 && PATH_PATTERN.test(fixed)) {
      const why = fromUrl ? "patterns match the path, not the whole URL" : 'patterns start with "/"';
      return { item, expected, hint: `did you mean "${fixed}"? ${why}`, suggestion: fixed };
    }
    return { item, expected, hint: "percent-encode other characters, as they appear in the URL" };
  });
}
var PARAMETER = /^[A-Za-z0-9\-._~[\]%]+$/;
function parseParameterList(text) {
  const expected = `query parameter names (letters, digits, "-", ".", "_", "~", "[", "]" or "%")`;
  return eachItem(listItems(text), (item) => {
    if (PARAMETER.test(item)) return void 0;
    const name = /^[?&]?([^=&#]+)=/.exec(item)?.[1];
    if (name !== void 0 && PARAMETER.test(name))
      return { item, expected, hint: `did you mean "${name}"? list the names only`, suggestion: name };
    return { item, expected };
  });
}
function eachItem(items, check) {
  const result = { items: [], bad: [] };
  for (const item of items) {
    const bad = check(item);
    if (bad) result.bad.push(bad);
    else result.items.push(item);
  }
  return result;
}

// src/config/parse-config.ts
var DEFAULT_PREFIXES = DEFAULT_ENV_PREFIXES;
var TRACKLET_DEFAULT_SCRIPT_URL = "/tracklet/tracklet.js";
var TRACKLET_DEFAULT_ENDPOINT = "/tracklet/collect";
var NONCE_BREAKER = /<(?:script|style)/i;
var MAX_TIMER_MS = 2147483647;
var MAX_SHOWN = 80;
function show(value) {
  const shown = value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN - 3)}...` : value;
  return JSON.stringify(shown);
}
function isTool(value) {
  return ANALYTICS_TOOLS.includes(value);
}
var Resolver = class {
  constructor(doc, file, env, prefixes, section) {
    this.doc = doc;
    this.file = file;
    this.env = env;
    this.prefixes = prefixes;
    this.section = section;
  }
  doc;
  file;
  env;
  prefixes;
  section;
  errors = [];
  warnings = [];
  settings = {
    tool: null,
    spaPageviews: false,
    useralejs: {},
    sdk: {},
    sources: {}
  };
  raw = /* @__PURE__ */ new Map();
  texts = /* @__PURE__ */ new Map();
  /** The tool as written, for deciding which ids are secret before it is validated. */
  toolText = null;
  add(severity, where, option, detail, extra = {}) {
    const message = option ? `[${this.section}] ${option}: ${detail}` : detail;
    const issue = { severity, where, message, ...extra };
    if (option) issue.option = option;
    (severity === "error" ? this.errors : this.warnings).push(issue);
  }
  /** `expected X; found "y" (did you mean "z"?)`, with the value masked for secrets. */
  invalid(raw, value, expected, hint, suggestion) {
    const found = this.display(raw.spec.name, value);
    const tail = hint ? ` (${hint})` : "";
    this.add("error", raw.where, raw.spec.name, `expected ${expected}; found ${found}${tail}`, {
      expected,
      found,
      ...suggestion ? { suggestion } : {}
    });
  }
  display(option, value) {
    return isSecretOption(option, this.toolText) ? maskSecret2(value) : show(value);
  }
  collect() {
    for (const spec of OPTIONS) {
      const override = findEnvOverride(this.env, this.prefixes, this.section, spec.name);
      if (override !== void 0) {
        const source = { kind: "env", envVar: override.name };
        this.raw.set(spec.name, { spec, text: override.value, source, where: override.name });
        continue;
      }
      const value = this.doc ? lookup(this.doc, this.section, spec.name) : void 0;
      if (value) {
        const where = `${this.file}:${value.line}`;
        this.raw.set(spec.name, {
          spec,
          text: value.raw,
          source: { kind: "file", file: this.file, line: value.line },
          where
        });
      }
    }
    this.toolText = this.raw.get("analytics_tool")?.text.trim() ?? null;
    this.warnAboutLookalikes();
  }
  /** Warn about options (in the section or the environment) that look like misspelt tracklet options. */
  warnAboutLookalikes() {
    const section = this.doc?.sections.get(this.section.toLowerCase());
    const seen = /* @__PURE__ */ new Set();
    for (const [key, value] of section?.options ?? []) {
      this.warnIfLookalike(key, `${this.file}:${value.line}`);
      seen.add(key);
    }
    for (const { option, name } of envOverridesIn(this.env, this.prefixes, this.section)) {
      this.warnIfLookalike(option, name);
    }
  }
  warnIfLookalike(key, where) {
    if (OPTION_NAMES.includes(key)) return;
    const suggestion = didYouMean3(key, OPTION_NAMES, key.length > 20 ? 3 : 2);
    if (!looksLikeOurs(key, suggestion)) return;
    const hint = suggestion ? `did you mean "${suggestion}"?` : `tracklet reads ${OPTION_NAMES.slice(0, 6).join(", ")} and apache_flagon_useralejs_data_*`;
    this.add(
      "warning",
      where,
      key,
      `unknown analytics option, ignored (${hint})`,
      suggestion ? { suggestion } : {}
    );
  }
  /**
   * Interpolate (file values), expand env references and apply `None`/empty = unset. `X or None` makes
   * the option optional: unset when a variable in X is unset or X expands to nothing.
   */
  text(name) {
    if (!this.texts.has(name)) this.texts.set(name, this.readText(name));
    return this.texts.get(name);
  }
  readText(name) {
    const raw = this.raw.get(name);
    if (!raw) return void 0;
    let text = raw.text;
    if (/\s[#;]/.test(text)) {
      const marker = /\s([#;])/.exec(text)?.[1] ?? "#";
      this.add(
        "warning",
        raw.where,
        name,
        `the value contains " ${marker}": airflow.cfg has no inline comments, so the rest of the line is part of the value; put the comment on its own line`
      );
    }
    if (raw.source.kind === "file" && this.doc) {
      try {
        text = interpolate(this.doc, this.section, text);
      } catch (error) {
        if (!(error instanceof InterpolationError)) throw error;
        this.add("error", raw.where, name, error.message);
        return void 0;
      }
    }
    const orNone = /\s+or\s+None$/.exec(text);
    try {
      const expanded = expandEnv(orNone ? text.slice(0, orNone.index) : text, this.env);
      return isUnsetWord(expanded.trim()) ? void 0 : expanded.trim();
    } catch (error) {
      if (!(error instanceof ExpansionError)) throw error;
      if (orNone && error.variable !== "") return void 0;
      const hint = error.variable && !orNone ? ` (set it, or write "... or None" to leave the option unset without it)` : "";
      this.add("error", raw.where, name, `${error.message}${hint}`);
      return void 0;
    }
  }
  record(name) {
    const raw = this.raw.get(name);
    if (raw) this.settings.sources[name] = raw.source;
  }
  resolve() {
    this.resolveTool();
    const tool = this.settings.tool;
    for (const spec of OPTIONS) {
      if (spec.name === "analytics_tool") continue;
      const text = this.text(spec.name);
      if (text === void 0) continue;
      const raw = this.raw.get(spec.name);
      if (tool === null && this.toolText === null) {
        this.add(
          "warning",
          raw.where,
          spec.name,
          "ignored: analytics_tool is not set, so nothing is injected"
        );
      } else if (tool !== null && spec.usedBy !== "all" && !spec.usedBy.includes(tool) && !(countsFirstParty(this.settings.mode) && (spec.sdkKey || spec.name === "analytics_site"))) {
        this.add("warning", raw.where, spec.name, `ignored: analytics_tool "${tool}" does not use it`);
      }
      this.resolveOption(raw, text);
    }
    this.checkRequired();
    this.checkSdkOptions();
  }
  /** Browser SDK options that are set but cannot take effect, and the `None` of `analytics_track`. */
  checkSdkOptions() {
    const tool = this.settings.tool;
    const track = this.raw.get("analytics_track");
    if (track?.text.trim() === "None") {
      this.add(
        "warning",
        track.where,
        "analytics_track",
        `"None" leaves the option unset, so the SDK's defaults apply (tagged, engagement); write "none" for pageviews only`
      );
    }
    const extensions = this.raw.get("analytics_download_extensions");
    const tracked = this.settings.sdk?.track;
    if (extensions && this.settings.sdk?.downloadExtensions && !tracked?.includes("downloads")) {
      this.add(
        "warning",
        extensions.where,
        "analytics_download_extensions",
        'ignored: analytics_track does not include "downloads"'
      );
    }
    if (tool === null || tool === "tracklet" || this.settings.spaPageviews) return;
    if (countsFirstParty(this.settings.mode)) return;
    for (const spec of OPTIONS) {
      const raw = this.raw.get(spec.name);
      if (!spec.sdkKey || !raw || spec.usedBy === "all" || !spec.usedBy.includes(tool)) continue;
      if (this.text(spec.name) === void 0) continue;
      this.add(
        "warning",
        raw.where,
        spec.name,
        `ignored: tracklet's browser SDK is added next to "${tool}" only with analytics_spa_pageviews = True`
      );
    }
  }
  resolveTool() {
    const raw = this.raw.get("analytics_tool");
    const text = this.text("analytics_tool");
    if (!raw || text === void 0) {
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
    if (commented !== void 0 && isTool(commented)) {
      this.invalid(
        raw,
        text,
        expected,
        `did you mean "${commented}"? the comment is part of the value`,
        commented
      );
      return;
    }
    const suggestion = didYouMean3(text, ANALYTICS_TOOLS);
    this.invalid(raw, text, expected, suggestion ? `did you mean "${suggestion}"?` : void 0, suggestion);
  }
  resolveOption(raw, text) {
    const { spec } = raw;
    const name = spec.name;
    if (NONCE_BREAKER.test(text)) {
      this.invalid(
        raw,
        text,
        'a value without "<script" or "<style"',
        "browsers would ignore the snippet's CSP nonce and block it"
      );
      return;
    }
    switch (spec.type) {
      case "id":
        if (this.checkId(raw, text)) this.settings.id = text;
        break;
      case "endpoint": {
        const url = this.checkEndpoint(raw, text);
        if (url !== void 0) this.settings.url = url;
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
        if (value === void 0) {
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
        if (value === void 0) this.invalid(raw, text, "a positive integer (milliseconds or a count)");
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
      case "tool":
        break;
    }
    if (!this.errors.some((e) => e.option === name)) this.record(name);
  }
  /** A list option: each invalid item is an error of its own (with a did-you-mean when one is close). */
  setSdkList(raw, result) {
    for (const bad of result.bad) this.invalid(raw, bad.item, bad.expected, bad.hint, bad.suggestion);
    if (result.bad.length === 0) this.setSdk(raw.spec, result.items);
  }
  setSdk(spec, value) {
    if (spec.sdkKey) this.settings.sdk[spec.sdkKey] = value;
  }
  setUserAle(spec, value) {
    if (spec.useraleKey) this.settings.useralejs[spec.useraleKey] = value;
  }
  checkId(raw, text) {
    const tool = this.settings.tool;
    if (tool === "google_analytics") {
      if (/^(G|GT|AW)-[A-Z0-9]{4,}$/.test(text)) return true;
      if (/^UA-\d+-\d+$/.test(text)) {
        this.add(
          "warning",
          raw.where,
          raw.spec.name,
          "a Universal Analytics id (UA-...): Google stopped processing UA data in July 2023; use a GA4 measurement id (G-...)"
        );
        return true;
      }
      const upper = text.toUpperCase();
      const hint = upper !== text && /^(G|GT|AW)-[A-Z0-9]{4,}$/.test(upper) ? `ids are upper case: "${upper}"` : void 0;
      this.invalid(raw, text, `a GA4 measurement id like "G-XXXXXXXXXX" (or GT-/AW-/UA-NNN-N)`, hint);
      return false;
    }
    if (tool === "segment" || tool === "metarouter") {
      if (/^[A-Za-z0-9_-]{1,64}$/.test(text)) return true;
      const reason = text.length > 64 ? `the value is ${text.length} characters long` : `the value contains characters other than letters, digits, "_" and "-"`;
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
  checkEndpoint(raw, text) {
    const tool = this.settings.tool;
    const parsed = parseHttpUrl(text);
    if (tool === "matomo") {
      if ("reason" in parsed) {
        this.invalid(raw, text, "the absolute http(s) URL of the Matomo instance", parsed.reason);
        return void 0;
      }
      if (parsed.url.search || parsed.url.hash) {
        this.invalid(
          raw,
          text,
          "the absolute http(s) URL of the Matomo instance",
          "drop the query string and fragment"
        );
        return void 0;
      }
      return text.endsWith("/") ? text : `${text}/`;
    }
    if ("url" in parsed || isRootRelativePath(text)) return text;
    this.invalid(raw, text, `an http(s) URL or a path starting with "/"`);
    return void 0;
  }
  /** Options a tool cannot work without, reported at the `analytics_tool` line. */
  checkRequired() {
    const tool = this.settings.tool;
    const toolRaw = this.raw.get("analytics_tool");
    if (tool === null || !toolRaw) return;
    const requireOption = (name, what) => {
      if (this.text(name) !== void 0) return;
      if (this.errors.some((e) => e.option === name)) return;
      this.add(
        "error",
        toolRaw.where,
        name,
        `required when analytics_tool is "${tool}" (${what}), but not set`
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
      if (this.settings.url === void 0 && !this.errors.some((e) => e.option === "analytics_url")) {
        this.settings.url = TRACKLET_DEFAULT_ENDPOINT;
        this.settings.sources.analytics_url = { kind: "default" };
      }
      if (this.settings.scriptUrl === void 0 && !this.errors.some((e) => e.option === "analytics_script_url")) {
        this.settings.scriptUrl = TRACKLET_DEFAULT_SCRIPT_URL;
        this.settings.sources.analytics_script_url = { kind: "default" };
      }
    }
    this.checkMode();
    if (this.settings.sources.analytics_spa_pageviews === void 0) {
      this.settings.sources.analytics_spa_pageviews = { kind: "default" };
    }
    const spa = this.raw.get("analytics_spa_pageviews");
    if (this.settings.spaPageviews && tool === "matomo" && spa !== void 0) {
      this.add(
        "warning",
        spa.where,
        "analytics_spa_pageviews",
        'has no effect with analytics_tool "matomo": call _paq.push(["trackPageView"]) on route changes'
      );
    }
  }
  /** What `analytics_mode` needs: a tool the collector forwards to, and a collector to send events to. */
  checkMode() {
    const raw = this.raw.get("analytics_mode");
    if (!raw || this.settings.mode === void 0) return;
    const hasCollector = (this.doc?.sections.has("collector") ?? false) || this.prefixes.some(
      (prefix) => Object.keys(this.env).some((name) => name.toUpperCase().startsWith(`${prefix}__COLLECTOR__`))
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
        "ignored: with analytics_mode = first_party the page loads tracklet's SDK, not the vendor's script"
      );
    }
    const spa = this.raw.get("analytics_spa_pageviews");
    if (this.settings.mode === "first_party" && this.settings.spaPageviews && spa) {
      this.add(
        "warning",
        spa.where,
        "analytics_spa_pageviews",
        "ignored: with analytics_mode = first_party tracklet's SDK counts SPA navigations and the collector forwards them"
      );
    }
  }
};
function guard(settings) {
  Object.defineProperty(settings, "toJSON", { value: () => maskSettings(settings), enumerable: false });
  Object.defineProperty(settings, inspect.custom, {
    value: (_depth, options) => inspect(maskSettings(settings), options),
    enumerable: false
  });
  return settings;
}
function inFileOrder(issues, file) {
  const key = (issue) => {
    const line = issue.where.startsWith(`${file}:`) ? Number(issue.where.slice(file.length + 1)) : Number.NaN;
    return Number.isInteger(line) ? line : Number.MAX_SAFE_INTEGER;
  };
  return issues.map((issue, index) => ({ issue, index })).sort((a, b) => key(a.issue) - key(b.issue) || a.index - b.index).map((entry) => entry.issue);
}
function parseConfig(text, options = {}) {
  const file = options.file ?? "airflow.cfg";
  const env = options.env ?? process.env;
  const prefixes = options.prefixes ?? DEFAULT_PREFIXES;
  const section = (options.section ?? "webserver").toLowerCase();
  checkEnvPrefixes(prefixes);
  const doc = text === null ? null : parseIni(text, { file });
  const resolver = new Resolver(doc, file, env, prefixes, section);
  resolver.collect();
  resolver.resolve();
  const errors = inFileOrder(resolver.errors, file);
  const warnings = inFileOrder(resolver.warnings, file);
  if (errors.length > 0) throw new ConfigError(errors, warnings);
  return { settings: guard(resolver.settings), warnings };
}
function loadConfig(options = {}) {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const explicit = options.path ?? (env.TRACKLET_CONFIG || void 0);
  const shown = explicit ?? "airflow.cfg";
  const fullPath = isAbsolute(shown) ? shown : resolve(cwd, shown);
  const text = readConfigFile(fullPath, {
    shown,
    optional: explicit === void 0,
    note: options.path === void 0 && explicit !== void 0 ? " (from TRACKLET_CONFIG)" : ""
  });
  const parsed = parseConfig(text, {
    file: shown,
    env,
    ...options.prefixes ? { prefixes: options.prefixes } : {},
    ...options.section ? { section: options.section } : {}
  });
  return { ...parsed, file: text === null ? null : shown };
}

// src/html/insertion-scanner.ts
var INSERTION_POSITIONS = ["head-end", "head-start", "body-end"];
var DEFAULT_PROLOGUE_WINDOW = 64 * 1024;
var LT = 60;
var GT = 62;
var SLASH = 47;
var BANG = 33;
var QUESTION = 63;
var EQUALS = 61;
var DQUOTE = 34;
var SQUOTE = 39;
var DASH = 45;
var RBRACKET = 93;
var MARKER_LOOKAHEAD = 256;
var MAX_NAME = 8;
var RAW_TEXT = /* @__PURE__ */ new Set([
  "script",
  "style",
  "textarea",
  "title",
  "xmp",
  "iframe",
  "noembed",
  "noframes",
  // Raw text when scripting is on, which is when the snippet matters (the Meta pixel puts `<noscript><img>` in head).
  "noscript"
]);
var HEAD_CONTENT = /* @__PURE__ */ new Set([
  "html",
  "head",
  "meta",
  "link",
  "title",
  "style",
  "script",
  "base",
  "noscript",
  "template",
  "basefont",
  "bgsound"
]);
var MARKER = Buffer.from(SNIPPET_MARKER.toLowerCase(), "latin1");
var MARKER_FAILURE = kmpFailure(MARKER);
function kmpFailure(pattern) {
  const failure = new Int32Array(pattern.length);
  let k = 0;
  for (let i = 1; i < pattern.length; i++) {
    while (k > 0 && pattern[i] !== pattern[k]) k = failure[k - 1] ?? 0;
    if (pattern[i] === pattern[k]) k++;
    failure[i] = k;
  }
  return failure;
}
function indexOfLt(chunk, from, to) {
  const at = chunk.indexOf(LT, from);
  return at < 0 ? to : at;
}
function isSpace(b) {
  return b === 32 || b === 9 || b === 10 || b === 12 || b === 13;
}
function isAsciiLetter(b) {
  return b >= 65 && b <= 90 || b >= 97 && b <= 122;
}
function lower(b) {
  return b >= 65 && b <= 90 ? b + 32 : b;
}
var InsertionScanner = class {
  position;
  prologueWindow;
  /** Absolute offset of the next byte to read. */
  pos = 0;
  state = 0 /* Data */;
  tagStart = 0;
  name = "";
  nameTooLong = false;
  isEndTag = false;
  /** In a tag: the last non-space byte was `=`, so a quote starts a value. */
  afterEquals = false;
  declaration = "";
  dashes = 0;
  rawEnd = "";
  rawMatched = 0;
  markerMatched = 0;
  /** Seen `<html` or `<head`: a structured document, so no document-start fallback. */
  structured = false;
  /** Seen any tag or non-space text (comments and the doctype don't count). */
  significant = false;
  /** Where a fragment's snippet goes: after a BOM and a leading doctype. */
  documentStart = 0;
  doctypeAllowed = true;
  tagHeld = false;
  /** Inside `<template>` nothing is rendered, so nothing there starts the body. */
  templateDepth = 0;
  /** Offset right after an open tag where the snippet goes unless the marker follows within the lookahead. */
  pendingInsert = -1;
  constructor(position = "head-end", prologueWindow = DEFAULT_PROLOGUE_WINDOW) {
    this.position = position;
    this.prologueWindow = prologueWindow;
  }
  /** Absolute offset before which bytes may be emitted, or -1 when nothing needs holding back. */
  get holdFrom() {
    if (this.pendingInsert >= 0) return this.pendingInsert;
    if (this.holdingPrologue) return 0;
    return this.tagHeld ? this.tagStart : -1;
  }
  get holdingPrologue() {
    return this.position !== "body-end" && !this.structured;
  }
  /** Bytes read so far. */
  get offset() {
    return this.pos;
  }
  /**
   * Reads `chunk[from…]` until a decision or the end of the chunk. After an `insert` or `already-present`
   * decision the scanner is done and must not be fed again.
   */
  feed(chunk, from = 0) {
    const n = chunk.length;
    let i = from;
    while (i < n) {
      if (this.pendingInsert < 0 && this.pos >= 3) {
        if (this.state === 0 /* Data */) {
          const stop = indexOfLt(chunk, i, n);
          if (stop > i) {
            const decision2 = this.textRun(chunk, i, stop);
            if (decision2 !== void 0) return decision2;
            i = stop;
            continue;
          }
        } else if (this.state === 13 /* RawText */ && this.rawMatched === 0) {
          const stop = indexOfLt(chunk, i, n);
          this.pos += stop - i;
          i = stop;
          if (i === n) break;
        }
      }
      const decision = this.step(chunk[i]);
      this.pos++;
      i++;
      if (decision !== void 0) return decision;
    }
    return { kind: "continue" };
  }
  /** Text `chunk[from, to)` (no `<` in it) in the Data state. */
  textRun(chunk, from, to) {
    const needed = this.position !== "body-end" || !this.significant;
    if (needed) {
      for (let j = from; j < to; j++) {
        if (!isSpace(chunk[j])) {
          const decision = this.bodyContent(this.pos + (j - from));
          if (decision !== void 0) {
            this.pos += j - from + 1;
            return decision;
          }
          break;
        }
      }
    }
    this.pos += to - from;
    if (this.holdingPrologue && this.pos >= this.prologueWindow) return this.insert(this.documentStart);
    return void 0;
  }
  /** Decides at the end of the document. */
  finish() {
    if (this.pendingInsert >= 0) return { kind: "insert", at: this.pendingInsert };
    if (this.position === "body-end")
      return this.significant ? { kind: "insert", at: this.pos } : { kind: "none" };
    if (!this.significant) return { kind: "none" };
    return { kind: "insert", at: this.structured ? this.pos : this.documentStart };
  }
  insert(at) {
    return { kind: "insert", at };
  }
  /** One byte; returns a decision or undefined to go on. `this.pos` is this byte's offset. */
  step(b) {
    if (this.pendingInsert >= 0) {
      if (this.matchMarker(b)) return { kind: "already-present" };
      return this.pos - this.pendingInsert >= MARKER_LOOKAHEAD ? this.insert(this.pendingInsert) : void 0;
    }
    if (this.state >= 1 /* TagOpen */ && this.state <= 8 /* InTagUnquoted */) {
      if (this.matchMarker(b)) return { kind: "already-present" };
    } else {
      this.markerMatched = 0;
    }
    if (this.pos < 3) this.trackBom(b);
    switch (this.state) {
      case 0 /* Data */:
        if (b === LT) {
          this.state = 1 /* TagOpen */;
          this.tagStart = this.pos;
          this.tagHeld = true;
        } else if (!isSpace(b) && !(this.pos < 3 && this.bomSoFar > this.pos)) {
          const decision = this.bodyContent(this.pos);
          if (decision) return decision;
        }
        break;
      case 1 /* TagOpen */:
        return this.tagOpen(b);
      case 3 /* EndTagOpen */:
        this.endTagOpen(b);
        break;
      case 2 /* TagName */:
      case 4 /* EndTagName */:
        return this.tagName(b);
      case 5 /* InTag */:
        return this.inTag(b);
      case 6 /* InTagDoubleQuoted */:
        if (b === DQUOTE) this.leaveValue();
        break;
      case 7 /* InTagSingleQuoted */:
        if (b === SQUOTE) this.leaveValue();
        break;
      case 8 /* InTagUnquoted */:
        if (b === GT) {
          this.state = 0 /* Data */;
          return this.tagClosed();
        }
        if (isSpace(b)) this.leaveValue();
        break;
      case 9 /* MarkupDeclaration */:
        return this.markupDeclaration(b);
      case 10 /* Comment */:
        if (b === DASH) this.dashes++;
        else if (b === GT && this.dashes >= 2) this.state = 0 /* Data */;
        else this.dashes = 0;
        break;
      case 11 /* Cdata */:
        if (b === RBRACKET) this.dashes++;
        else if (b === GT && this.dashes >= 2) this.state = 0 /* Data */;
        else this.dashes = 0;
        break;
      case 12 /* BogusComment */:
        if (b === GT) this.endBogus();
        break;
      case 13 /* RawText */:
        this.rawText(b);
        break;
    }
    return this.prologueFull();
  }
  tagOpen(b) {
    if (b === BANG) {
      this.state = 9 /* MarkupDeclaration */;
      this.declaration = "";
      this.tagHeld = false;
    } else if (b === SLASH) {
      this.state = 3 /* EndTagOpen */;
    } else if (isAsciiLetter(b)) {
      this.state = 2 /* TagName */;
      this.isEndTag = false;
      this.name = String.fromCharCode(lower(b));
      this.nameTooLong = false;
    } else if (b === QUESTION) {
      this.state = 12 /* BogusComment */;
      this.tagHeld = false;
    } else {
      this.state = 0 /* Data */;
      this.tagHeld = false;
      const decision = this.bodyContent(this.tagStart);
      if (decision) return decision;
      if (b === LT) {
        this.state = 1 /* TagOpen */;
        this.tagStart = this.pos;
        this.tagHeld = true;
      }
    }
    return this.prologueFull();
  }
  endTagOpen(b) {
    if (isAsciiLetter(b)) {
      this.state = 4 /* EndTagName */;
      this.isEndTag = true;
      this.name = String.fromCharCode(lower(b));
      this.nameTooLong = false;
    } else {
      this.state = b === GT ? 0 /* Data */ : 12 /* BogusComment */;
      this.tagHeld = false;
    }
  }
  tagName(b) {
    if (isSpace(b) || b === SLASH || b === GT) {
      if (!this.nameTooLong) {
        const decision = this.tagNameDone();
        if (decision) return decision;
      }
      this.afterEquals = false;
      if (b === GT) {
        this.state = 0 /* Data */;
        return this.tagClosed();
      }
      this.state = 5 /* InTag */;
    } else if (!this.nameTooLong) {
      if (this.name.length >= MAX_NAME) {
        this.nameTooLong = true;
        this.name = "";
        const decision = this.tagNameDone();
        if (decision) return decision;
      } else {
        this.name += String.fromCharCode(lower(b));
      }
    }
    return this.prologueFull();
  }
  inTag(b) {
    if (b === GT) {
      this.state = 0 /* Data */;
      return this.tagClosed();
    }
    if (b === EQUALS) {
      this.afterEquals = true;
    } else if (this.afterEquals && b === DQUOTE) {
      this.state = 6 /* InTagDoubleQuoted */;
    } else if (this.afterEquals && b === SQUOTE) {
      this.state = 7 /* InTagSingleQuoted */;
    } else if (this.afterEquals && !isSpace(b)) {
      this.state = 8 /* InTagUnquoted */;
    } else if (!isSpace(b)) {
      this.afterEquals = false;
    }
    return this.prologueFull();
  }
  /** Memory stays bounded: a fragment's prologue is never held past the window. */
  prologueFull() {
    if (this.holdingPrologue && this.pos + 1 >= this.prologueWindow) return this.insert(this.documentStart);
    return void 0;
  }
  bomSoFar = 0;
  trackBom(b) {
    const expected = [239, 187, 191][this.pos];
    if (this.bomSoFar === this.pos && b === expected) {
      this.bomSoFar++;
      if (this.bomSoFar === 3 && this.documentStart === 0) this.documentStart = 3;
    }
  }
  leaveValue() {
    this.state = 5 /* InTag */;
    this.afterEquals = false;
  }
  endBogus() {
    this.state = 0 /* Data */;
    if (this.pendingDoctype) this.doctypeDone();
  }
  matchMarker(b) {
    const c = lower(b);
    let k = this.markerMatched;
    while (k > 0 && MARKER[k] !== c) k = MARKER_FAILURE[k - 1] ?? 0;
    if (MARKER[k] === c) k++;
    if (k === MARKER.length) return true;
    this.markerMatched = k;
    return false;
  }
  /** Non-space text or a body-only start tag at `at`: the body has started. */
  bodyContent(at) {
    this.significant = true;
    this.doctypeAllowed = false;
    if (this.position === "body-end" || this.templateDepth > 0) return void 0;
    return this.insert(this.structured ? at : this.documentStart);
  }
  /** The tag name is complete (or known to be too long); decide what it means. */
  tagNameDone() {
    const name = this.name;
    if (this.isEndTag) {
      if (name === "template" && this.templateDepth > 0) this.templateDepth--;
      this.significant = true;
      this.doctypeAllowed = false;
      const before = this.position === "body-end" ? name === "body" || name === "html" : name === "head" || name === "body" || name === "html";
      this.tagHeld = false;
      if (before) return this.insert(this.tagStart);
      return void 0;
    }
    this.tagHeld = false;
    this.significant = true;
    this.doctypeAllowed = false;
    if (this.position === "body-end") return void 0;
    if (name === "template") this.templateDepth++;
    if (name === "html" || name === "head") {
      this.structured = true;
      return void 0;
    }
    if (!this.nameTooLong && (HEAD_CONTENT.has(name) || name === "body")) {
      if (name !== "body") this.structured = true;
      return void 0;
    }
    return this.bodyContent(this.tagStart);
  }
  /** `>` of a tag (this byte). */
  tagClosed() {
    if (this.isEndTag || this.nameTooLong) return void 0;
    const name = this.name;
    if (this.position !== "body-end") {
      if (name === "body" || name === "head" && this.position === "head-start") {
        this.pendingInsert = this.pos + 1;
        return void 0;
      }
    }
    if (RAW_TEXT.has(name)) {
      this.state = 13 /* RawText */;
      this.rawEnd = name;
      this.rawMatched = 0;
    }
    return void 0;
  }
  markupDeclaration(b) {
    if (b === GT && this.declaration !== "[cdata[") {
      this.state = 0 /* Data */;
      return void 0;
    }
    this.declaration += String.fromCharCode(lower(b));
    const d = this.declaration;
    if (d === "--") {
      this.state = 10 /* Comment */;
      this.dashes = 0;
    } else if (d === "[cdata[") {
      this.state = 11 /* Cdata */;
      this.dashes = 0;
    } else if (d === "doctype") {
      this.state = 12 /* BogusComment */;
      if (this.doctypeAllowed) this.pendingDoctype = true;
    } else if (!"--".startsWith(d) && !"[cdata[".startsWith(d) && !"doctype".startsWith(d)) {
      this.state = 12 /* BogusComment */;
    }
    return void 0;
  }
  pendingDoctype = false;
  rawText(b) {
    const m = this.rawMatched;
    if (m === 0) {
      if (b === LT) this.rawMatched = 1;
      return;
    }
    if (m === 1) {
      this.rawMatched = b === SLASH ? 2 : b === LT ? 1 : 0;
      return;
    }
    const nameIndex = m - 2;
    if (nameIndex < this.rawEnd.length) {
      this.rawMatched = lower(b) === this.rawEnd.charCodeAt(nameIndex) ? m + 1 : b === LT ? 1 : 0;
      return;
    }
    if (isSpace(b) || b === SLASH || b === GT) {
      this.isEndTag = true;
      this.name = this.rawEnd;
      this.nameTooLong = false;
      this.state = b === GT ? 0 /* Data */ : 5 /* InTag */;
      this.afterEquals = false;
      return;
    }
    this.rawMatched = b === LT ? 1 : 0;
  }
  doctypeDone() {
    this.pendingDoctype = false;
    this.documentStart = this.pos + 1;
  }
};

// src/html/html-injector.ts
function toBuffer(chunk) {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}
function createHtmlInjector(snippetHtml, options = {}) {
  const snippet = typeof snippetHtml === "string" ? Buffer.from(snippetHtml, "utf8") : toBuffer(snippetHtml);
  const scanner = new InsertionScanner(
    options.position ?? "head-end",
    options.prologueWindow ?? DEFAULT_PROLOGUE_WINDOW
  );
  let outcome = "pending";
  let held = [];
  let heldStart = 0;
  function splitAt(all, start, at) {
    const before = [];
    const after = [];
    let offset = start;
    for (const buf of all) {
      const end = offset + buf.length;
      if (end <= at) before.push(buf);
      else if (offset >= at) after.push(buf);
      else {
        before.push(buf.subarray(0, at - offset));
        after.push(buf.subarray(at - offset));
      }
      offset = end;
    }
    return [before, after];
  }
  function nonEmpty(bufs) {
    return bufs.filter((b) => b.length > 0);
  }
  function injectAt(all, at) {
    const [before, after] = splitAt(all, heldStart, at);
    held = [];
    outcome = "injected";
    return nonEmpty([...before, snippet, ...after]);
  }
  function release(all) {
    held = [];
    return nonEmpty(all);
  }
  return {
    get outcome() {
      return outcome;
    },
    push(input) {
      const chunk = toBuffer(input);
      if (outcome !== "pending") return chunk.length > 0 ? [chunk] : [];
      const decision = scanner.feed(chunk);
      const all = held.length > 0 ? [...held, chunk] : [chunk];
      if (decision.kind === "insert") return injectAt(all, decision.at);
      if (decision.kind === "already-present") {
        outcome = "already-present";
        return release(all);
      }
      const holdFrom = scanner.holdFrom;
      if (holdFrom < 0) {
        heldStart = scanner.offset;
        return release(all);
      }
      const [out, keep] = splitAt(all, heldStart, holdFrom);
      held = nonEmpty(keep);
      heldStart = holdFrom;
      return nonEmpty(out);
    },
    end() {
      if (outcome !== "pending") return [];
      const decision = scanner.finish();
      if (decision.kind === "insert") return injectAt(held, decision.at);
      outcome = decision.kind === "already-present" ? "already-present" : "no-insertion-point";
      return release(held);
    },
    abort() {
      if (outcome === "pending") outcome = "no-insertion-point";
      return release(held);
    }
  };
}

// src/html/inject-html.ts
function findInsertionPoint(html, position = "head-end", prologueWindow = DEFAULT_PROLOGUE_WINDOW) {
  const scanner = new InsertionScanner(position, prologueWindow);
  const decision = scanner.feed(html);
  if (decision.kind === "insert") return decision.at;
  if (decision.kind === "already-present") return -1;
  const end = scanner.finish();
  return end.kind === "insert" ? end.at : -1;
}
var FIRST_SLICE = 1024;
function scanInsertionIndex(html, position = "head-end", prologueWindow = DEFAULT_PROLOGUE_WINDOW) {
  const scanner = new InsertionScanner(position, prologueWindow);
  const slices = [];
  let byte = 0;
  let size = FIRST_SLICE;
  const indexOf = (at) => {
    for (let k = slices.length - 1; k >= 0; k--) {
      const slice = slices[k];
      if (at < slice.byte) continue;
      const offset = at - slice.byte;
      if (slice.ascii || offset === 0) return slice.char + offset;
      return slice.char + slice.bytes.subarray(0, offset).toString("utf8").length;
    }
    return 0;
  };
  for (let char = 0; char < html.length; ) {
    let end2 = Math.min(html.length, char + size);
    size *= 4;
    const last = html.charCodeAt(end2 - 1);
    if (end2 < html.length && last >= 55296 && last <= 56319) end2++;
    const bytes = Buffer.from(html.slice(char, end2), "utf8");
    slices.push({ char, byte, bytes, ascii: bytes.length === end2 - char });
    const decision = scanner.feed(bytes);
    if (decision.kind !== "continue") {
      const read = indexOf(scanner.offset);
      return { at: decision.kind === "insert" ? indexOf(decision.at) : -1, read };
    }
    byte += bytes.length;
    char = end2;
  }
  const end = scanner.finish();
  if (end.kind !== "insert") return { at: -1, read: -1 };
  return { at: end.at >= byte ? html.length : indexOf(end.at), read: -1 };
}
function findInsertionIndex(html, position = "head-end", prologueWindow = DEFAULT_PROLOGUE_WINDOW) {
  return scanInsertionIndex(html, position, prologueWindow).at;
}
function injectHtmlBuffer(html, snippetHtml, options = {}) {
  const injector = createHtmlInjector(snippetHtml, options);
  const parts = [...injector.push(html), ...injector.end()];
  const outcome = injector.outcome === "pending" ? "no-insertion-point" : injector.outcome;
  return { body: Buffer.concat(parts), outcome };
}
function injectHtml(html, snippetHtml, options = {}) {
  if (typeof html === "string") {
    const at = findInsertionIndex(html, options.position, options.prologueWindow);
    if (at < 0) return html;
    const snippet = typeof snippetHtml === "string" ? snippetHtml : Buffer.from(snippetHtml).toString("utf8");
    return html.slice(0, at) + snippet + html.slice(at);
  }
  return injectHtmlBuffer(html, snippetHtml, options).body;
}

// src/snippet/create-snippet.ts
import { createHash as createHash2 } from "crypto";

// src/snippet/escape.ts
function hex4(code) {
  return `\\u${code.toString(16).padStart(4, "0")}`;
}
function jsString(value) {
  const json = JSON.stringify(value);
  let out = "";
  for (let i = 0; i < json.length; i++) {
    const code = json.charCodeAt(i);
    const ch = json[i];
    if (code < 32 || code > 126 || ch === "<" || ch === ">" || ch === "&" || ch === "'") out += hex4(code);
    else out += ch;
  }
  return out;
}
function htmlAttribute(value) {
  let out = "";
  for (const ch of value) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === "&") out += "&amp;";
    else if (ch === "<") out += "&lt;";
    else if (ch === ">") out += "&gt;";
    else if (ch === '"') out += "&quot;";
    else if (ch === "'") out += "&#39;";
    else if (code === 0) out += "&#xFFFD;";
    else if (code < 32 || code > 126) out += `&#${code};`;
    else out += ch;
  }
  return out;
}
function urlComponent(value) {
  const wellFormed = value.replace(
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    "\uFFFD"
  );
  return encodeURIComponent(wellFormed).replace(
    /[!'()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`
  );
}

// src/snippet/sdk-script.ts
import { createHash } from "crypto";
import { readFileSync } from "fs";

// src/snippet/browser-sdk-file.ts
import { createRequire } from "module";
var BUILD_FILES = {
  core: "@tracklet/browser-sdk/tracklet.core.js",
  standard: "@tracklet/browser-sdk/tracklet.standard.js",
  full: "@tracklet/browser-sdk/tracklet.js"
};
function browserSdkFile(build = "full") {
  try {
    return createRequire(import.meta.url).resolve(BUILD_FILES[build]);
  } catch (error) {
    throw new Error(
      `tracklet's browser SDK (${BUILD_FILES[build]}) cannot be found: install @tracklet/browser-sdk next to @tracklet/injector (in this repository: build it with \`npm run build\`)`,
      { cause: error }
    );
  }
}

// src/snippet/sdk-script.ts
function sdkBuildFor(sdk2, bridge) {
  const filtered = (sdk2.include?.length ?? 0) > 0 || (sdk2.exclude?.length ?? 0) > 0;
  if (bridge || filtered) return "full";
  if (sdk2.track?.length === 0) return "core";
  return sdk2.track?.includes("outbound") || sdk2.track?.includes("downloads") ? "full" : "standard";
}
function sdkAttributes(sdk2, build, bridge) {
  const attributes = {};
  const track = bridge ? void 0 : sdk2.track;
  if (build !== "core" && track !== void 0) {
    if (track.includes("outbound")) attributes.outbound = true;
    if (track.includes("downloads"))
      attributes.downloads = sdk2.downloadExtensions ? sdk2.downloadExtensions.join(",") : true;
    if (!track.includes("tagged")) attributes.tagged = false;
    if (!track.includes("engagement")) attributes.engagement = false;
  }
  if (sdk2.hashRouting) attributes.hash = true;
  if (build !== "core" && sdk2.include?.length) attributes.include = sdk2.include.join(",");
  if (build !== "core" && sdk2.exclude?.length) attributes.exclude = sdk2.exclude.join(",");
  if (sdk2.mask?.length) attributes.mask = sdk2.mask.join(",");
  return attributes;
}
function formatSdkAttributes(attributes) {
  let html = "";
  for (const [name, value] of Object.entries(attributes)) {
    if (value === true) html += ` data-${name}`;
    else html += ` data-${name}="${htmlAttribute(String(value))}"`;
  }
  return html;
}
function contentHashedPath(path, body) {
  const hash = createHash("sha256").update(body).digest("hex").slice(0, 10);
  const slash = path.lastIndexOf("/");
  const dot = path.lastIndexOf(".");
  return dot > slash + 1 ? `${path.slice(0, dot)}.${hash}${path.slice(dot)}` : `${path}.${hash}.js`;
}
var isRootRelative = (url) => url.startsWith("/") && !url.startsWith("//");
function sdkScript(sdk2, scriptUrl, bridge, sends = !bridge) {
  const build = sdkBuildFor(sdk2, bridge);
  if (!isRootRelative(scriptUrl))
    return { build, src: scriptUrl, attributes: sdkAttributes(sdk2, "full", !sends), assets: [] };
  const attributes = sdkAttributes(sdk2, build, !sends);
  const file = browserSdkFile(build);
  const query = scriptUrl.indexOf("?");
  const path = query < 0 ? scriptUrl : scriptUrl.slice(0, query);
  const hashed = contentHashedPath(path, readFileSync(file));
  return {
    build,
    src: query < 0 ? hashed : hashed + scriptUrl.slice(query),
    attributes,
    assets: [
      { path: hashed, file, immutable: true },
      { path, file }
    ]
  };
}

// src/snippet/templates.ts
import { existsSync, readFileSync as readFileSync2 } from "fs";
import { dirname, join, resolve as resolve2 } from "path";
import { fileURLToPath } from "url";
import Handlebars from "handlebars";
var ESCAPING_HELPERS = ["js", "attr", "url"];
var BLOCK_HELPERS = /* @__PURE__ */ new Set(["if", "unless"]);
var handlebars = Handlebars.create();
function escapingHelper(name, escapeFor) {
  return (...args) => {
    const value = args.length === 2 ? args[0] : void 0;
    if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") {
      throw new TypeError(
        `{{${name}}} needs exactly one string value, got ${value === null ? "null" : typeof value}`
      );
    }
    return new handlebars.SafeString(escapeFor(String(value)));
  };
}
handlebars.registerHelper("js", escapingHelper("js", jsString));
handlebars.registerHelper("attr", escapingHelper("attr", htmlAttribute));
handlebars.registerHelper("url", escapingHelper("url", urlComponent));
function checkTemplate(source, name) {
  const fail = (node, why) => {
    throw new Error(`${name}:${node.loc?.start.line ?? "?"}: ${why}`);
  };
  const walk = (node) => {
    switch (node.type) {
      case "Program":
        for (const child of node.body) walk(child);
        return;
      case "ContentStatement":
      case "CommentStatement":
        return;
      case "MustacheStatement": {
        const m = node;
        const helper = m.path.type === "PathExpression" ? m.path.original : "";
        if (!m.escaped) fail(node, "raw {{{\u2026}}} output is not allowed; use {{js}}, {{attr}} or {{url}}");
        if (!ESCAPING_HELPERS.includes(helper) || m.params.length !== 1 || m.hash) {
          fail(
            node,
            `values must be printed with {{js value}}, {{attr value}} or {{url value}}; found {{${helper}}}`
          );
        }
        for (const param of m.params)
          if (param.type === "SubExpression") fail(node, "sub-expressions are not allowed");
        return;
      }
      case "BlockStatement": {
        const b = node;
        const helper = b.path.type === "PathExpression" ? b.path.original : "";
        if (!BLOCK_HELPERS.has(helper))
          fail(node, `only {{#if}} and {{#unless}} blocks are allowed; found {{#${helper}}}`);
        walk(b.program);
        if (b.inverse) walk(b.inverse);
        return;
      }
      default:
        fail(node, `${node.type} is not allowed in snippet templates`);
    }
  };
  walk(handlebars.parse(source));
}
function defaultTemplatesDir() {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [resolve2(here, "../templates"), resolve2(here, "../../templates")];
  const found = candidates.find((dir) => existsSync(join(dir, "google_analytics.hbs")));
  if (!found)
    throw new Error(`snippet templates not found (looked in ${candidates.join(", ")}); pass templatesDir`);
  return found;
}
var compiled = /* @__PURE__ */ new Map();
function loadTemplate(tool, templatesDir) {
  const path = join(templatesDir, `${tool}.hbs`);
  const cached = compiled.get(path);
  if (cached) return cached;
  const source = readFileSync2(path, "utf8");
  checkTemplate(source, path);
  const template = handlebars.compile(source, { strict: false, knownHelpersOnly: false, noEscape: false });
  compiled.set(path, template);
  return template;
}

// src/snippet/create-snippet.ts
var DEFAULT_BOOTSTRAP_PATH = "/tracklet/bootstrap.js";
var USERALE_SCRIPT_URL = "https://cdn.jsdelivr.net/npm/flagon-userale@2.1.1/build/userale-2.1.1.min.js";
var GTAG_SCRIPT_URL = "https://www.googletagmanager.com/gtag/js";
var NONCE = /^[A-Za-z0-9+/_-]{1,256}={0,2}$/;
function isAscii(text) {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 127) return false;
  return true;
}
function checkScriptUrl(url, option) {
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url)?.[1]?.toLowerCase();
  if (scheme !== void 0 && scheme !== "http" && scheme !== "https") {
    throw new TypeError(`${option} must be an http(s) URL or a path, not a "${scheme}:" URL`);
  }
  return url;
}
function required(value, option, tool) {
  if (value === void 0 || value === "")
    throw new TypeError(`${option} is required for analytics_tool "${tool}"`);
  return value;
}
function templateContext(settings, tool, sdk2) {
  const override = settings.scriptUrl ? checkScriptUrl(settings.scriptUrl, "analytics_script_url") : void 0;
  switch (tool) {
    case "google_analytics": {
      const base = override ?? GTAG_SCRIPT_URL;
      return {
        id: required(settings.id, "analytics_id", tool),
        loaderBase: base,
        loaderHasQuery: base.includes("?")
      };
    }
    case "segment": {
      const id = required(settings.id, "analytics_id", tool);
      const loaderUrl = override ?? `https://cdn.segment.com/analytics.js/v1/${urlComponent(id)}/analytics.min.js`;
      return { id, loaderUrl };
    }
    case "metarouter": {
      const id = required(settings.id, "analytics_id", tool);
      return { id, loaderUrl: override ?? `https://cdn.metarouter.io/a/v1/${urlComponent(id)}.js` };
    }
    case "matomo":
      return {
        id: required(settings.id, "analytics_id", tool),
        url: checkScriptUrl(required(settings.url, "analytics_url", tool), "analytics_url"),
        scriptUrl: override ?? null
      };
    case "apache_flagon_useralejs": {
      const u = settings.useralejs;
      const text = (value) => value === void 0 ? null : String(value);
      return {
        loaderUrl: override ?? USERALE_SCRIPT_URL,
        auth: text(u.auth),
        autostart: text(u.autostart),
        interval: text(u.interval),
        logDetails: text(u.logDetails),
        resolution: text(u.resolution),
        threshold: text(u.threshold),
        tool: text(u.tool),
        user: text(u.user),
        url: text(u.url),
        version: text(u.version)
      };
    }
    case "tracklet": {
      const a = sdk2?.attributes ?? {};
      return {
        scriptUrl: sdk2?.src ?? override ?? TRACKLET_DEFAULT_SCRIPT_URL,
        url: settings.url ?? TRACKLET_DEFAULT_ENDPOINT,
        site: settings.site ?? null,
        outbound: a.outbound === true,
        downloads: a.downloads === true,
        downloadList: typeof a.downloads === "string" ? a.downloads : null,
        noTagged: a.tagged === false,
        noEngagement: a.engagement === false,
        hash: a.hash === true,
        include: a.include ?? null,
        exclude: a.exclude ?? null,
        mask: a.mask ?? null
      };
    }
  }
}
function splitScripts(html, tool) {
  const parts = [];
  const pattern = /<script\b([^>]*)>([\s\S]*?)<\/script>/gi;
  let last = 0;
  for (const match of html.matchAll(pattern)) {
    const attributes = match[1] ?? "";
    const body = match[2] ?? "";
    if (/<!--|<\/?script/i.test(body))
      throw new Error(`${tool} snippet: a script body contains "<!--" or "<script"`);
    parts.push({ kind: "text", html: html.slice(last, match.index) });
    const hasSrc = /\ssrc\s*=/i.test(attributes);
    if (hasSrc && body.trim() !== "") throw new Error(`${tool} snippet: a script has both src and a body`);
    parts.push({ kind: "script", attributes: attributes.trimEnd(), body, inline: !hasSrc });
    last = match.index + match[0].length;
  }
  parts.push({ kind: "text", html: html.slice(last) });
  for (const part of parts) {
    if (part.kind === "text" && /<\/?script/i.test(part.html)) {
      throw new Error(`${tool} snippet: unbalanced <script> tags in the template`);
    }
  }
  return parts.filter((p) => p.kind === "script" || p.html.trim() !== "");
}
var SPA_BRIDGES = {
  google_analytics: "gtag",
  segment: "analytics",
  metarouter: "analytics",
  apache_flagon_useralejs: "userale"
};
function spaBridge(settings, tool) {
  const bridge = SPA_BRIDGES[tool];
  if (!settings.spaPageviews || bridge === void 0) return null;
  const sdk2 = sdkScript(settings.sdk ?? {}, TRACKLET_DEFAULT_SCRIPT_URL, true);
  const attributes = ` defer src="${htmlAttribute(sdk2.src)}" data-endpoint="none" data-bridge="${bridge}"${formatSdkAttributes(sdk2.attributes)}`;
  return { part: { kind: "script", attributes, body: "", inline: false }, assets: sdk2.assets };
}
function renderParts(tool, context, templatesDir) {
  const rendered = loadTemplate(tool, templatesDir)(context).trim();
  if (!isAscii(rendered)) throw new Error(`${tool} snippet: rendered HTML is not ASCII`);
  return splitScripts(rendered, tool);
}
function firstPartyParts(settings, tool, nextToVendor, templatesDir) {
  const bridge = nextToVendor && settings.spaPageviews ? SPA_BRIDGES[tool] : void 0;
  const sdk2 = sdkScript(settings.sdk ?? {}, TRACKLET_DEFAULT_SCRIPT_URL, bridge !== void 0, true);
  const own = { tool: "tracklet", spaPageviews: false, useralejs: {}, sources: {} };
  if (settings.site !== void 0) own.site = settings.site;
  const parts = renderParts("tracklet", templateContext(own, "tracklet", sdk2), templatesDir);
  if (bridge !== void 0) {
    for (const part of parts) {
      if (part.kind === "script") part.attributes += ` data-bridge="${htmlAttribute(bridge)}"`;
    }
  }
  return { parts, assets: sdk2.assets };
}
function openTag(attributes, nonce) {
  return `<script ${SNIPPET_MARKER}${attributes}${nonce === void 0 ? "" : ` nonce="${htmlAttribute(nonce)}"`}>`;
}
function createSnippet(settings, options = {}) {
  const tool = settings.tool;
  if (tool === null) throw new TypeError("analytics_tool is not set: there is no snippet to create");
  const templatesDir = options.templatesDir ?? defaultTemplatesDir();
  const mode = tool === "tracklet" ? "client" : settings.mode ?? "client";
  if (mode === "first_party" && !FIRST_PARTY_TOOLS.includes(tool)) {
    throw new TypeError(
      `analytics_mode first_party works with ${FIRST_PARTY_TOOLS.join(", ")}, not analytics_tool "${tool}"`
    );
  }
  const parts = [];
  const assets = [];
  if (mode !== "first_party") {
    const sdk2 = tool === "tracklet" ? sdkScript(
      settings.sdk ?? {},
      settings.scriptUrl ? checkScriptUrl(settings.scriptUrl, "analytics_script_url") : TRACKLET_DEFAULT_SCRIPT_URL,
      false
    ) : void 0;
    parts.push(...renderParts(tool, templateContext(settings, tool, sdk2), templatesDir));
    assets.push(...sdk2?.assets ?? []);
  }
  if (mode === "client") {
    const bridge = spaBridge(settings, tool);
    if (bridge) {
      parts.push(bridge.part);
      assets.push(...bridge.assets);
    }
  } else {
    const counting = firstPartyParts(settings, tool, mode === "both", templatesDir);
    parts.push(...counting.parts);
    assets.push(...counting.assets);
  }
  const inlineBodies = parts.flatMap((p) => p.kind === "script" && p.inline ? [p.body] : []);
  const bootstrapJs = inlineBodies.length === 0 ? "" : `${inlineBodies.map((b) => b.trim()).join("\n;\n")}
`;
  const cspHashes = inlineBodies.map(
    (body) => `'sha256-${createHash2("sha256").update(body).digest("base64")}'`
  );
  const html = (htmlOptions = {}) => {
    const { nonce, mode: mode2 = "inline", bootstrapPath = DEFAULT_BOOTSTRAP_PATH } = htmlOptions;
    if (nonce !== void 0 && !NONCE.test(nonce)) {
      throw new TypeError("nonce must be a base64 or hex token (letters, digits, + / _ - and trailing =)");
    }
    if (mode2 !== "inline" && mode2 !== "external") throw new TypeError(`mode must be "inline" or "external"`);
    let bootstrapEmitted = false;
    const out = parts.map((part) => {
      if (part.kind === "text") return part.html.trim();
      if (mode2 === "external" && part.inline) {
        if (bootstrapEmitted) return "";
        bootstrapEmitted = true;
        return `${openTag(` src="${htmlAttribute(bootstrapPath)}"`, nonce)}</script>`;
      }
      return `${openTag(part.attributes, nonce)}${part.body}</script>`;
    });
    const result = out.filter((s) => s !== "").join("\n");
    if (!isAscii(result)) throw new Error(`${tool} snippet: rendered HTML is not ASCII`);
    return result;
  };
  return { tool, html, bootstrapJs, cspHashes, assets };
}

export {
  OPTIONS,
  maskSettings,
  formatSettings,
  ANALYTICS_TOOLS,
  ANALYTICS_MODES,
  FIRST_PARTY_TOOLS,
  TRACKED_FEATURES,
  SNIPPET_MARKER,
  DEFAULT_PREFIXES,
  parseConfig,
  loadConfig,
  INSERTION_POSITIONS,
  DEFAULT_PROLOGUE_WINDOW,
  createHtmlInjector,
  findInsertionPoint,
  scanInsertionIndex,
  injectHtmlBuffer,
  injectHtml,
  DEFAULT_BOOTSTRAP_PATH,
  createSnippet
};
//# sourceMappingURL=chunk-4Y6U6FSY.js.map