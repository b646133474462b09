import type { IncomingMessage, ServerResponse } from "node:http";
import { formatIssue } from "@tracklet/config";
import { type LoadConfigOptions, loadConfig } from "../config/parse-config.js";
import { createInsertionFinder } from "../html/insertion-finder.js";
import type { InsertionPosition } from "../html/insertion-scanner.js";
import { createSnippet, DEFAULT_BOOTSTRAP_PATH } from "../snippet/create-snippet.js";
import type { Snippet, SnippetAsset, SnippetHtmlOptions } from "../types.js";
import { isWrapped } from "./keep-outermost.js";
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
}

/** Express-style middleware (works with Express 4 and 5, Connect and plain `http`). */
export type AnalyticsMiddleware = (
  req: IncomingMessage,
  res: LocalsResponse,
  next: (error?: unknown) => void,
) => void;

/** Where `res.locals` keeps its response's injection, for the `trackletSnippet` getter. */
const INJECTION = Symbol("tracklet.injection");
type InjectionHolder = { [INJECTION]?: ResponseInjection };

/**
 * `res.locals.trackletSnippet`: the response's snippet HTML, rendered when read. One getter for every response:
 * V8 gives objects whose accessors are the same functions one shape.
 */
const SNIPPET_LOCAL: PropertyDescriptor = {
  configurable: true,
  enumerable: true,
  get(this: object) {
    return (this as InjectionHolder)[INJECTION]?.render().html;
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

function loadSnippet(config: AnalyticsOptions["config"]): Snippet | null {
  const loaded = loadConfig(typeof config === "string" ? { path: config } : (config ?? {}));
  for (const warning of loaded.warnings) console.warn(`tracklet: ${formatIssue(warning)}`);
  return loaded.settings.tool === null ? null : createSnippet(loaded.settings);
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
  const loaded = options.snippet ?? loadSnippet(options.config);
  if (loaded === null) {
    return (_req, _res, next) => next();
  }
  const snippet: Snippet = loaded;
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
  };

  return function analyticsMiddleware(req, res, next) {
    // Mounted twice: the response is injected once.
    if (isWrapped(res)) return next();
    try {
      if (serveScript?.(req, res)) return;
      // Browsers revalidate with the tagged ETag; upstream (express's freshness check, `send`) knows its own.
      const ifNoneMatch = req.headers["if-none-match"];
      const untagged = ifNoneMatch === undefined ? undefined : untagIfNoneMatch(ifNoneMatch, tag);
      if (untagged !== undefined) req.headers["if-none-match"] = untagged;
      const injection = new ResponseInjection(req, res, config, untagged && ifNoneMatch);
      let locals = res.locals;
      if (locals === undefined || locals === null) {
        locals = {};
        res.locals = locals;
      }
      (locals as InjectionHolder)[INJECTION] = injection;
      Object.defineProperty(locals, "trackletSnippet", SNIPPET_LOCAL);
      locals.placeTrackletSnippet = () => injection.place();
    } catch (error) {
      onError(error, req);
    }
    next();
  };
}
