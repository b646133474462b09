import type { IncomingMessage, ServerResponse } from "node:http";
import { pathAllowed } from "@tracklet/browser-sdk";
import { formatIssue } from "@tracklet/config";
import { type LoadConfigOptions, loadConfig } from "../config/parse-config.js";
import { createInsertionFinder } from "../html/insertion-finder.js";
import type { InsertionPosition } from "../html/insertion-scanner.js";
import { DocumentCounter, type DocumentSink } from "../page-counts/document-counter.js";
import { postDocumentCounts } from "../page-counts/post-document-counts.js";
import { createSnippet, DEFAULT_BOOTSTRAP_PATH } from "../snippet/create-snippet.js";
import type { AnalyticsSettings, Snippet, SnippetAsset, SnippetHtmlOptions } from "../types.js";
import { isWrapped, wrappersIn } from "./keep-outermost.js";
import { type InjectionConfig, type RenderedSnippet, ResponseInjection } from "./response-injection.js";
import { createScriptRoute } from "./script-route.js";
import { snippetTag, untagIfNoneMatch } from "./validators.js";

/** A response with Express's `res.locals` (plain `http` responses get one). */
export type LocalsResponse = ServerResponse & { locals?: Record<string, unknown> };

export interface AnalyticsOptions {
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
  /**
   * Where the counts of pages served with the snippet go, for the collector's Coverage figure:
   * `collector.recordDocuments` when the collector runs in this process. Default: posted to
   * `analytics_coverage_url` when the config sets it, else pages are not counted. `false`: not counted.
   */
  documents?: DocumentSink | false;
  /** How often the page counts are handed on, ms. Default 30000. */
  documentsIntervalMs?: number;
  /** The site id the counts are kept under. Default: `analytics_site`, else the request's hostname (as the SDK). */
  documentsSite?: string;
}

/** Express-style middleware (works with Express 4 and 5, Connect and plain `http`). */
export type AnalyticsMiddleware = ((
  req: IncomingMessage,
  res: LocalsResponse,
  next: (error?: unknown) => void,
) => void) & {
  /** Hands the page counts gathered so far to `documents` (call it before shutting down); no-op when off. */
  flushDocuments(): Promise<void>;
};

/**
 * `res.locals.trackletSnippet`: the response's snippet HTML, rendered when read. One getter for every response:
 * it finds the response's injection among the wrappers kept in `res.locals`.
 */
const SNIPPET_LOCAL: PropertyDescriptor = {
  configurable: true,
  enumerable: true,
  get(this: object) {
    const injection = wrappersIn(this);
    return injection instanceof ResponseInjection ? injection.render().html : undefined;
  },
};

/** helmet's convention: the nonce is `res.locals.cspNonce`. */
function helmetNonce(_req: IncomingMessage, res: LocalsResponse): string | undefined {
  const nonce = res.locals?.cspNonce;
  return typeof nonce === "string" ? nonce : undefined;
}

function defaultOnError(): (error: unknown, req: IncomingMessage) => void {
  const seen = new Set<string>();
  return (error) => {
    const kind = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    if (seen.has(kind) || seen.size > 100) return;
    seen.add(kind);
    console.error("tracklet: snippet injection failed, page sent unmodified:", error);
  };
}

function loadSettings(config: AnalyticsOptions["config"]): AnalyticsSettings {
  const loaded = loadConfig(typeof config === "string" ? { path: config } : (config ?? {}));
  for (const warning of loaded.warnings) console.warn(`tracklet: ${formatIssue(warning)}`);
  return loaded.settings;
}

/** Counts pages served with the snippet when there is somewhere to hand the counts to. */
function documentCounter(
  options: AnalyticsOptions,
  settings: AnalyticsSettings | undefined,
): DocumentCounter | undefined {
  if (options.documents === false) return undefined;
  const coverage = settings?.coverage;
  const sink = options.documents ?? (coverage && postDocumentCounts(coverage.url, coverage.token));
  if (!sink) return undefined;
  let reported = false;
  const { include, exclude } = settings?.sdk ?? {};
  return new DocumentCounter({
    sink,
    site: options.documentsSite ?? settings?.site,
    countsPath: include || exclude ? (path) => pathAllowed(path, include ?? [], exclude ?? []) : undefined,
    intervalMs: options.documentsIntervalMs,
    onError(error) {
      // Reported once: the counts are kept and handed over again, so a collector that is down is not a log flood.
      if (reported) return;
      reported = true;
      console.error("tracklet: could not hand the page counts on; they are kept and sent again:", error);
    },
  });
}

function withFlush(
  middleware: (req: IncomingMessage, res: LocalsResponse, next: (error?: unknown) => void) => void,
  counter: DocumentCounter | undefined,
): AnalyticsMiddleware {
  return Object.assign(middleware, { flushDocuments: () => counter?.flush() ?? Promise.resolve() });
}

/**
 * Injects the analytics snippet into every HTML response, streamed or not.
 *
 * Exposes on `res.locals`: `trackletSnippet` (this response's snippet HTML, nonce included),
 * `placeTrackletSnippet()` (returns it and marks it placed, so the middleware leaves the page alone) and
 * `trackletSnippetPlaced` (set it to true when the page carries the snippet some other way). A response whose
 * `res.locals.trackletNoSnippet` is true is left alone (tracklet's collector sets it on its own responses).
 * Throws at creation when the config is invalid.
 */
export function analytics(options: AnalyticsOptions = {}): AnalyticsMiddleware {
  const settings = options.snippet ? undefined : loadSettings(options.config);
  if (settings?.tool === null) {
    return withFlush((_req, _res, next) => next(), undefined);
  }
  const snippet: Snippet = options.snippet ?? createSnippet(settings as AnalyticsSettings);
  const counter = documentCounter(options, settings);
  const position = options.position ?? "head-end";
  const mode = options.inlineScripts ?? "inline";
  if (mode !== "inline" && mode !== "external")
    throw new TypeError(`inlineScripts must be "inline" or "external"`);
  const bootstrapPath = options.bootstrapPath ?? DEFAULT_BOOTSTRAP_PATH;
  if (!bootstrapPath.startsWith("/"))
    throw new TypeError(`bootstrapPath must start with "/": ${bootstrapPath}`);
  const htmlOptions: SnippetHtmlOptions = mode === "external" ? { mode, bootstrapPath } : { mode };
  // Without a nonce the snippet is the same for every response: render it once.
  const plainHtml = snippet.html(htmlOptions);
  const plain: RenderedSnippet = { nonce: undefined, html: plainHtml, bytes: Buffer.from(plainHtml, "utf8") };
  const tag = snippetTag(plain.html, position);
  // Same-origin scripts: the bootstrap code in external mode, and tracklet's SDK when the snippet uses it.
  const scripts = new Map<string, string | SnippetAsset>();
  for (const asset of snippet.assets ?? []) scripts.set(asset.path, asset);
  if (mode === "external") scripts.set(bootstrapPath, snippet.bootstrapJs);
  const serveScript = scripts.size > 0 ? createScriptRoute(scripts) : undefined;
  const onError = options.onError ?? defaultOnError();

  const config: InjectionConfig = {
    position,
    findInsertion: createInsertionFinder(position),
    errorPages: options.errorPages ?? false,
    tag,
    plain,
    nonceOf: options.nonce ?? helmetNonce,
    renderWith(nonce) {
      const html = snippet.html({ ...htmlOptions, nonce });
      return { nonce, html, bytes: Buffer.from(html, "utf8") };
    },
    skip: options.skip,
    onError,
    countDocument: counter && ((req) => counter.count(req)),
  };

  return withFlush(function analyticsMiddleware(req, res, next) {
    // Mounted twice: the response is injected once.
    if (isWrapped(res)) return next();
    try {
      if (serveScript?.(req, res)) return;
      // Browsers revalidate with the tagged ETag; upstream (express's freshness check, `send`) knows its own.
      const ifNoneMatch = req.headers["if-none-match"];
      const untagged = ifNoneMatch === undefined ? undefined : untagIfNoneMatch(ifNoneMatch, tag);
      if (untagged !== undefined) req.headers["if-none-match"] = untagged;
      // Keeps its wrappers in `res.locals`, which it creates when missing.
      const injection = new ResponseInjection(req, res, config, untagged && ifNoneMatch);
      const locals = res.locals as Record<string, unknown>;
      Object.defineProperty(locals, "trackletSnippet", SNIPPET_LOCAL);
      locals.placeTrackletSnippet = () => injection.place();
    } catch (error) {
      onError(error, req);
    }
    next();
  }, counter);
}
