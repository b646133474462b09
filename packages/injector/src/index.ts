// The public API, as the README documents it.
export { ConfigError } from "@tracklet/config";
export { formatSettings, maskSettings } from "./config/mask-settings.js";
export { OPTIONS, type OptionSpec } from "./config/options.js";
export {
  type LoadConfigOptions,
  type LoadedConfig,
  loadConfig,
  type ParseConfigOptions,
  type ParsedConfig,
  parseConfig,
} from "./config/parse-config.js";
export {
  createHtmlInjector,
  type HtmlInjector,
  type HtmlInjectorOptions,
  type InjectionOutcome,
} from "./html/html-injector.js";
export { injectHtml } from "./html/inject-html.js";
export type { InsertionPosition } from "./html/insertion-scanner.js";
export {
  type AnalyticsMiddleware,
  type AnalyticsOptions,
  analytics,
  type LocalsResponse,
} from "./middleware/analytics.js";
export type { DocumentCount, DocumentSink } from "./page-counts/document-counter.js";
export { postDocumentCounts } from "./page-counts/post-document-counts.js";
export {
  type CompiledSnippet,
  type CreateSnippetOptions,
  createSnippet,
} from "./snippet/create-snippet.js";
export { type HandlebarsLike, registerTrackletHelper, type SnippetSource } from "./snippet/helper.js";
export * from "./types.js";
