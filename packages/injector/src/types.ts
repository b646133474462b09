/** The analytics tools the `[webserver] analytics_tool` option accepts. */
export const ANALYTICS_TOOLS = [
  "apache_flagon_useralejs",
  "google_analytics",
  "metarouter",
  "segment",
  "matomo",
  "tracklet",
] as const;

export type AnalyticsTool = (typeof ANALYTICS_TOOLS)[number];

/**
 * `[webserver] analytics_mode`: `client` loads the vendor's script; `first_party` loads tracklet's SDK from the
 * app's origin and the collector forwards to the vendor; `both` loads the vendor's script and tracklet's SDK,
 * whose events are stored, not forwarded.
 */
export const ANALYTICS_MODES = ["client", "first_party", "both"] as const;

export type AnalyticsMode = (typeof ANALYTICS_MODES)[number];

/** Tools whose events the collector can forward in `first_party` mode. */
export const FIRST_PARTY_TOOLS = ["google_analytics", "segment", "metarouter", "matomo"] as const;

/** Typed `apache_flagon_useralejs_data_*` options (unset options are left out). */
export interface UserAleSettings {
  auth?: string;
  autostart?: boolean;
  interval?: number;
  logDetails?: boolean;
  resolution?: number;
  threshold?: number;
  tool?: string;
  user?: string;
  url?: string;
  version?: string;
}

/** What tracklet's browser SDK tracks besides pageviews (`analytics_track`). */
export const TRACKED_FEATURES = ["outbound", "downloads", "tagged", "engagement"] as const;

export type TrackedFeature = (typeof TRACKED_FEATURES)[number];

/**
 * Options of tracklet's browser SDK, written as its `data-*` attributes wherever the injector adds it
 * (`analytics_tool = tracklet`, and bridge-only next to a vendor with `analytics_spa_pageviews`).
 * Unset options are left out: the SDK's defaults apply.
 */
export interface BrowserSdkSettings {
  /** `analytics_track`: what is tracked besides pageviews; `[]` = pageviews only; unset = `tagged, engagement`. */
  track?: TrackedFeature[];
  /** `analytics_download_extensions`: the file extensions counted as downloads (replacing the SDK's list). */
  downloadExtensions?: string[];
  /** `analytics_hash_routing`: the `#…` part is part of the page URL. */
  hashRouting?: boolean;
  /** `analytics_include`: path patterns pageviews are sent for (`*` matches anything). */
  include?: string[];
  /** `analytics_exclude`: path patterns no pageview is sent for. */
  exclude?: string[];
  /** `analytics_mask`: query parameter names masked besides the SDK's built-in ones. */
  mask?: string[];
}

/** Where the page counts go when the collector runs in another process. */
export interface CoverageSettings {
  /** The collector's documents endpoint, e.g. `https://stats.example.com/tracklet/documents`. */
  url: string;
  /** Sent as `Authorization: Bearer <token>`; the collector's `coverage_token`. */
  token: string;
}

/** Where an option's value came from, for error messages and `tracklet check`. */
export interface ValueSource {
  /** `file` for the ini file (with line), `env` for a `PREFIX__SECTION__KEY` override, `default` otherwise. */
  kind: "file" | "env" | "default";
  file?: string;
  line?: number;
  envVar?: string;
}

/** The resolved, validated `[webserver]` analytics settings. `tool: null` means injection is off. */
export interface AnalyticsSettings {
  tool: AnalyticsTool | null;
  /** `analytics_id`: GA4 measurement id, Segment/MetaRouter write key, Matomo site id. */
  id?: string;
  /** `analytics_url`: Matomo base URL (ends with `/`), or tracklet's collector endpoint. */
  url?: string;
  /** `analytics_script_url`: overrides the vendor's loader URL (self-hosting or a first-party proxy). */
  scriptUrl?: string;
  /** `analytics_site`: site id sent by tracklet's own script (`data-site`), for one collector serving many sites. */
  site?: string;
  /** `analytics_mode`; absent means `client`. */
  mode?: AnalyticsMode;
  /** `analytics_spa_pageviews`: also add tracklet's browser SDK to forward SPA route changes to the vendor. */
  spaPageviews: boolean;
  useralejs: UserAleSettings;
  /** tracklet's browser SDK options (`analytics_track`, `analytics_mask`, …); absent = the SDK's defaults. */
  sdk?: BrowserSdkSettings;
  /**
   * `analytics_coverage_url` and `analytics_coverage_token`: where the counts of pages served with the snippet
   * are posted (a collector in another process), and the token it expects.
   */
  coverage?: CoverageSettings;
  /** Source of every option that was set, keyed by option name (lower case). */
  sources: Record<string, ValueSource>;
}

/** One problem found in a config file; `severity: "error"` refuses start-up. */
export type { ConfigIssue } from "@tracklet/config";

/** Options for the injected snippet's HTML. */
export interface SnippetHtmlOptions {
  /** CSP nonce put on every injected `<script>`. */
  nonce?: string;
  /**
   * `inline` (default) emits inline bootstrap code; `external` replaces it with
   * `<script src="{bootstrapPath}">` so pages whose CSP forbids inline scripts still work.
   */
  mode?: "inline" | "external";
  /** Same-origin path the middleware serves `bootstrapJs` at (external mode). */
  bootstrapPath?: string;
}

/** A same-origin file the snippet references and the middleware serves (tracklet's browser SDK). */
export interface SnippetAsset {
  /** Root-relative URL path, e.g. `/tracklet/tracklet.js`. */
  path: string;
  /** Absolute path of the file on disk; its precompressed forms, when built, are `<file>.br` and `<file>.gz`. */
  file: string;
  /** The path names the content (`tracklet.<hash>.js`): served with a year-long `immutable` cache. */
  immutable?: boolean;
}

/** A compiled snippet for one tool, rendered from `templates/<tool>.hbs`. */
export interface Snippet {
  readonly tool: AnalyticsTool;
  /** ASCII HTML to inject. Every `<script>` carries `data-tracklet-snippet` (see `SNIPPET_MARKER`). */
  html(options?: SnippetHtmlOptions): string;
  /** The inline bootstrap JavaScript, served as a same-origin script in external mode ('' when none). */
  readonly bootstrapJs: string;
  /** Same-origin scripts the snippet references, served by the middleware (none when absent). */
  readonly assets?: readonly SnippetAsset[];
}

/** Attribute every injected `<script>` carries; a page containing it already has the snippet. */
export const SNIPPET_MARKER = "data-tracklet-snippet";
