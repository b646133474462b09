import { Env, ConfigIssue } from '@tracklet/config';
export { ConfigError, ConfigIssue } from '@tracklet/config';
import { IncomingMessage, ServerResponse } from 'node:http';
import { HelperDelegate } from 'handlebars';

/** The analytics tools the `[webserver] analytics_tool` option accepts. */
declare const ANALYTICS_TOOLS: readonly ["apache_flagon_useralejs", "google_analytics", "metarouter", "segment", "matomo", "tracklet"];
type AnalyticsTool = (typeof ANALYTICS_TOOLS)[number];
/**
 * `[webserver] analytics_mode`: `client` loads the vendor's script; `first_party` loads tracklet's SDK from the
 * app's origin and the collector forwards to the vendor; `both` loads the vendor's script and tracklet's SDK,
 * whose events are stored, not forwarded.
 */
declare const ANALYTICS_MODES: readonly ["client", "first_party", "both"];
type AnalyticsMode = (typeof ANALYTICS_MODES)[number];
/** Tools whose events the collector can forward in `first_party` mode. */
declare const FIRST_PARTY_TOOLS: readonly ["google_analytics", "segment", "metarouter", "matomo"];
/** Typed `apache_flagon_useralejs_data_*` options (unset options are left out). */
interface UserAleSettings {
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
declare const TRACKED_FEATURES: readonly ["outbound", "downloads", "tagged", "engagement"];
type TrackedFeature = (typeof TRACKED_FEATURES)[number];
/**
 * Options of tracklet's browser SDK, written as its `data-*` attributes wherever the injector adds it
 * (`analytics_tool = tracklet`, and bridge-only next to a vendor with `analytics_spa_pageviews`).
 * Unset options are left out: the SDK's defaults apply.
 */
interface BrowserSdkSettings {
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
/** Where an option's value came from, for error messages and `tracklet check`. */
interface ValueSource {
    /** `file` for the ini file (with line), `env` for a `PREFIX__SECTION__KEY` override, `default` otherwise. */
    kind: "file" | "env" | "default";
    file?: string;
    line?: number;
    envVar?: string;
}
/** The resolved, validated `[webserver]` analytics settings. `tool: null` means injection is off. */
interface AnalyticsSettings {
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
    /** Source of every option that was set, keyed by option name (lower case). */
    sources: Record<string, ValueSource>;
}

/** Options for the injected snippet's HTML. */
interface SnippetHtmlOptions {
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
interface SnippetAsset {
    /** Root-relative URL path, e.g. `/tracklet/tracklet.js`. */
    path: string;
    /** Absolute path of the file on disk; its precompressed forms, when built, are `<file>.br` and `<file>.gz`. */
    file: string;
    /** The path names the content (`tracklet.<hash>.js`): served with a year-long `immutable` cache. */
    immutable?: boolean;
}
/** A compiled snippet for one tool, rendered from `templates/<tool>.hbs`. */
interface Snippet {
    readonly tool: AnalyticsTool;
    /** ASCII HTML to inject. Every `<script>` carries `data-tracklet-snippet` (see `SNIPPET_MARKER`). */
    html(options?: SnippetHtmlOptions): string;
    /** The inline bootstrap JavaScript, served as a same-origin script in external mode ('' when none). */
    readonly bootstrapJs: string;
    /** Same-origin scripts the snippet references, served by the middleware (none when absent). */
    readonly assets?: readonly SnippetAsset[];
}
/** Attribute every injected `<script>` carries; a page containing it already has the snippet. */
declare const SNIPPET_MARKER = "data-tracklet-snippet";

/**
 * A copy of `settings` that is safe to print or log: the UserALE auth header and Segment/MetaRouter write
 * keys are masked (`ab…(32 chars)`), URL credentials replaced by `***`. Plain data, JSON-serialisable.
 */
declare function maskSettings(settings: AnalyticsSettings): AnalyticsSettings;
/**
 * Human-readable listing of the resolved settings, one `option = value  (source)` line per set option,
 * secrets masked.
 */
declare function formatSettings(settings: AnalyticsSettings): string;

/** How an option's text is turned into a typed value. */
type OptionType = "tool" | "mode" | "id" | "endpoint" | "scriptUrl" | "boolean" | "positiveInteger" | "text" | "httpUrl" | "version" | "site" | "trackList" | "extensionList" | "pathList" | "parameterList";
interface OptionSpec {
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
/** Every `[webserver]` option tracklet reads, in the order `tracklet check` prints them. */
declare const OPTIONS: readonly OptionSpec[];

interface ParseConfigOptions {
    /** File name used in messages; default `airflow.cfg`. */
    file?: string;
    /** Environment for `${VAR}` expansion and `PREFIX__SECTION__KEY` overrides; default `process.env`. */
    env?: Env;
    /** Override prefixes, highest priority first; default {@link DEFAULT_PREFIXES}. */
    prefixes?: readonly string[];
    /** Section holding the options; default `webserver`. */
    section?: string;
}
interface ParsedConfig {
    settings: AnalyticsSettings;
    warnings: ConfigIssue[];
}
interface LoadConfigOptions extends Omit<ParseConfigOptions, "file"> {
    /** Config file; default `$TRACKLET_CONFIG`, else `./airflow.cfg`. */
    path?: string;
    /** Directory relative paths are resolved against; default `process.cwd()`. */
    cwd?: string;
}
interface LoadedConfig extends ParsedConfig {
    /** The file that was read, or `null` when the default `airflow.cfg` does not exist (env overrides only). */
    file: string | null;
}
/**
 * Resolve the `[webserver]` analytics settings from ini text (or `null` for "no file") and the environment.
 * Throws {@link ConfigError} listing every problem when the config cannot be used.
 */
declare function parseConfig(text: string | null, options?: ParseConfigOptions): ParsedConfig;
/**
 * Read and resolve the config file. The default `./airflow.cfg` may be missing (then only env overrides
 * count, and without `analytics_tool` injection is off); a file named explicitly (`path` or
 * `$TRACKLET_CONFIG`) must exist.
 */
declare function loadConfig(options?: LoadConfigOptions): LoadedConfig;

/**
 * Where the snippet goes.
 * - `head-end` (default): before `</head>`; else after `<body…>`; else before the first token that can only live
 *   in `<body>` (implicit body start, like a browser parser); fragments without `<html>`/`<head>` get it at the
 *   document start (after a BOM and `<!DOCTYPE …>`).
 * - `head-start`: after `<head…>`; else the `head-end` rules.
 * - `body-end`: before `</body>`; else before `</html>`; else at the end of the document.
 */
type InsertionPosition = "head-end" | "head-start" | "body-end";

/** What happened to a document. `pending` until the insertion point is found or the document ends. */
type InjectionOutcome = "pending" | "injected" | "already-present" | "no-insertion-point";
interface HtmlInjectorOptions {
    /** Where the snippet goes (default `head-end`); see {@link InsertionPosition}. */
    position?: InsertionPosition;
    /**
     * How long a fragment (no `<html>`/`<head>` seen yet) may be held back while waiting for `<body>` before the
     * snippet goes at its start. Default 64 KiB. Structured documents are never held longer than one partial tag.
     */
    prologueWindow?: number;
}
/** A streaming injector: feed the body's bytes in order, write out what it returns. */
interface HtmlInjector {
    /** Bytes ready to send. Holds back at most a partial tag (or a fragment's prologue, see `prologueWindow`). */
    push(chunk: Uint8Array): Buffer[];
    /** The rest of the document, with the snippet if it goes at the end or the document start. */
    end(): Buffer[];
    /** The original bytes still held back, for sending the page unmodified after a failure. Ends the injector. */
    abort(): Buffer[];
    readonly outcome: InjectionOutcome;
}
/**
 * Creates a streaming injector that puts `snippetHtml` at the insertion point of an HTML document exactly once.
 * Works on bytes: chunks may split tags, comments or multi-byte UTF-8 characters anywhere.
 * Once the snippet is in (or the page already carries it), every chunk passes straight through, uncopied.
 */
declare function createHtmlInjector(snippetHtml: string | Uint8Array, options?: HtmlInjectorOptions): HtmlInjector;

/**
 * Puts `snippetHtml` at the insertion point of a whole document (same rules as {@link createHtmlInjector}).
 * Returns the same type it was given; a document that already carries the snippet comes back unchanged.
 */
declare function injectHtml(html: string, snippetHtml: string, options?: HtmlInjectorOptions): string;
declare function injectHtml(html: Uint8Array, snippetHtml: string | Uint8Array, options?: HtmlInjectorOptions): Buffer;

/** A response with Express's `res.locals` (plain `http` responses get one). */
type LocalsResponse = ServerResponse & {
    locals?: Record<string, unknown>;
};
interface AnalyticsOptions {
    /** The compiled snippet. Default: `createSnippet(loadConfig(config).settings)`. */
    snippet?: Snippet;
    /** Config file path, or `loadConfig` options, used when `snippet` is not given. */
    config?: string | LoadConfigOptions;
    /** Where the snippet goes: `head-end` (default), `head-start` or `body-end`. */
    position?: InsertionPosition;
    /** The CSP nonce for this response. Default: `res.locals.cspNonce` (helmet's convention) when it is a string. */
    nonce?: (req: IncomingMessage, res: LocalsResponse) => string | undefined;
    /**
     * `inline` (default): the bootstrap code is inline (needs a nonce or `'unsafe-inline'` under CSP).
     * `external`: it is served by this middleware at `bootstrapPath` and referenced with `<script src>`.
     */
    inlineScripts?: "inline" | "external";
    /** Where external mode serves the bootstrap script. Default `/tracklet/bootstrap.js`. */
    bootstrapPath?: string;
    /** Return true to leave this response alone. */
    skip?: (req: IncomingMessage, res: LocalsResponse) => boolean;
    /** Also inject into 4xx/5xx HTML pages (to track broken links). Default false: 2xx only. */
    errorPages?: boolean;
    /** Called when building or injecting the snippet fails; the page then goes out unmodified. */
    onError?: (error: unknown, req: IncomingMessage) => void;
}
/** Express-style middleware (works with Express 4 and 5, Connect and plain `http`). */
type AnalyticsMiddleware = (req: IncomingMessage, res: LocalsResponse, next: (error?: unknown) => void) => void;
/**
 * Injects the analytics snippet into every HTML response, streamed or not.
 *
 * Exposes on `res.locals`: `trackletSnippet` (this response's snippet HTML, nonce included),
 * `placeTrackletSnippet()` (returns it and marks it placed, so the middleware leaves the page alone) and
 * `trackletSnippetPlaced` (set it to true when the page carries the snippet some other way). A response whose
 * `res.locals.trackletNoSnippet` is true is left alone (tracklet's collector sets it on its own responses).
 * Throws at creation when the config is invalid.
 */
declare function analytics(options?: AnalyticsOptions): AnalyticsMiddleware;

interface CreateSnippetOptions {
    /** Directory holding `<tool>.hbs`; default: the package's `templates/`. */
    templatesDir?: string;
}
/** A compiled snippet plus what a strict CSP needs to allow its inline scripts. */
interface CompiledSnippet extends Snippet {
    /** CSP source expressions (`'sha256-…'`) for the inline scripts, for hash-based `script-src` policies. */
    readonly cspHashes: readonly string[];
}
/**
 * Compile the snippet for `settings.tool` from `templates/<tool>.hbs`. Rendering happens once; `html()` only
 * adds the nonce and swaps inline code for the external bootstrap script. Throws when the tool is off.
 */
declare function createSnippet(settings: AnalyticsSettings, options?: CreateSnippetOptions): CompiledSnippet;

/** A snippet, `null` when analytics is off, or a function returning one (read at render time). */
type SnippetSource = Snippet | null | undefined | (() => Snippet | null | undefined);
/** The parts of a Handlebars instance the helper needs (the app's own `handlebars` import fits). */
interface HandlebarsLike {
    registerHelper(name: string, fn: HelperDelegate): void;
    SafeString: new (html: string) => unknown;
}
/** Register {@link snippetHelper} on the app's Handlebars instance as `name` (default `trackletSnippet`). */
declare function registerTrackletHelper(handlebars: HandlebarsLike, snippet: SnippetSource, name?: string): void;

export { ANALYTICS_MODES, ANALYTICS_TOOLS, type AnalyticsMiddleware, type AnalyticsMode, type AnalyticsOptions, type AnalyticsSettings, type AnalyticsTool, type BrowserSdkSettings, type CompiledSnippet, type CreateSnippetOptions, FIRST_PARTY_TOOLS, type HandlebarsLike, type HtmlInjector, type HtmlInjectorOptions, type InjectionOutcome, type InsertionPosition, type LoadConfigOptions, type LoadedConfig, type LocalsResponse, OPTIONS, type OptionSpec, type ParseConfigOptions, type ParsedConfig, SNIPPET_MARKER, type Snippet, type SnippetAsset, type SnippetHtmlOptions, type SnippetSource, TRACKED_FEATURES, type TrackedFeature, type UserAleSettings, type ValueSource, analytics, createHtmlInjector, createSnippet, formatSettings, injectHtml, loadConfig, maskSettings, parseConfig, registerTrackletHelper };
