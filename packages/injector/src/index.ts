export { ConfigError, formatIssue } from "@tracklet/config";
export { CHECK_USAGE, type CheckIo, runCheck } from "./cli/check.js";
export { describeSource, formatSettings, maskSettings } from "./config/mask-settings.js";
export { isSecretOption, OPTION_NAMES, OPTIONS, type OptionSpec } from "./config/options.js";
export {
  DEFAULT_PREFIXES,
  type LoadConfigOptions,
  type LoadedConfig,
  loadConfig,
  type ParseConfigOptions,
  type ParsedConfig,
  parseConfig,
  TRACKLET_DEFAULT_ENDPOINT,
  TRACKLET_DEFAULT_SCRIPT_URL,
} from "./config/parse-config.js";
export {
  createHtmlInjector,
  type HtmlInjector,
  type HtmlInjectorOptions,
  type InjectionOutcome,
} from "./html/html-injector.js";
export { type InjectionResult, injectHtml, injectHtmlBuffer } from "./html/inject-html.js";
export {
  DEFAULT_PROLOGUE_WINDOW,
  INSERTION_POSITIONS,
  type InsertionPosition,
  MARKER_LOOKAHEAD,
} from "./html/insertion-scanner.js";
export {
  type AnalyticsMiddleware,
  type AnalyticsOptions,
  analytics,
  type LocalsResponse,
} from "./middleware/analytics.js";
export {
  type CompiledSnippet,
  type CreateSnippetOptions,
  createSnippet,
  DEFAULT_BOOTSTRAP_PATH,
} from "./snippet/create-snippet.js";
export { htmlAttribute, jsString, urlComponent } from "./snippet/escape.js";
export {
  type HandlebarsLike,
  registerTrackletHelper,
  type SnippetSource,
  snippetHelper,
} from "./snippet/helper.js";
export { checkTemplate, defaultTemplatesDir } from "./snippet/templates.js";
export * from "./types.js";
