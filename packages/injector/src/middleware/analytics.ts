import type { IncomingMessage, ServerResponse } from "node:http";
import { formatIssue } from "../config/config-error.js";
import { type LoadConfigOptions, loadConfig } from "../config/parse-config.js";
import { createInsertionFinder } from "../html/insertion-finder.js";
import type { InsertionPosition } from "../html/insertion-scanner.js";
import { createSnippet, DEFAULT_BOOTSTRAP_PATH } from "../snippet/create-snippet.js";
import type { Snippet, SnippetAsset, SnippetHtmlOptions } from "../types.js";
import { hasOutermost, installationIn } from "./outermost.js";
import { createScriptRoute } from "./script-route.js";
import { ifNoneMatchOf, snippetTag, untagIfNoneMatch } from "./validators.js";
import {
  type InjectionConfig,
  type RenderedSnippet,
  ResponseInjection,
  wrapResponse,
} from "./wrap-response.js";

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

/** `res.locals.trackletSnippet`: the response's snippet HTML, rendered when first read. */
const SNIPPET_LOCAL: PropertyDescriptor = {
  configurable: true,
  enumerable: true,
  get(this: object) {
    const state = installationIn(this);
    return state instanceof ResponseInjection ? state.render().html : undefined;
  },
};

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
 * `trackletSnippetPlaced` (set it to true when the page carries the snippet some other way).
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
    errorPages: options.errorPages ?? false,
    tag,
    plain,
    findInsertion: createInsertionFinder(position),
    nonceOf:
      options.nonce ??
      ((_req, _res, locals) => (typeof locals.cspNonce === "string" ? locals.cspNonce : undefined)),
    renderWith(nonce) {
      const html = snippet.html({ ...htmlOptions, nonce });
      return { nonce, html, bytes: Buffer.from(html, "utf8") };
    },
    skip: options.skip,
    onError,
  };

  return function analyticsMiddleware(req, res, next) {
    // A response wrapped already (the middleware mounted twice) is injected once.
    if (hasOutermost(res)) return next();
    try {
      if (serveScript?.(req, res)) return;
      let locals = res.locals;
      if (locals === undefined || locals === null) {
        locals = {};
        res.locals = locals;
      }

      const ifNoneMatch = ifNoneMatchOf(req);
      const untagged = ifNoneMatch === undefined ? undefined : untagIfNoneMatch(ifNoneMatch, tag);
      if (untagged !== undefined) req.headers["if-none-match"] = untagged;

      const state = new ResponseInjection(
        req,
        res,
        locals,
        config,
        untagged === undefined ? undefined : ifNoneMatch,
      );
      Object.defineProperty(locals, "trackletSnippet", SNIPPET_LOCAL);
      locals.placeTrackletSnippet = () => state.place();
      wrapResponse(res, state);
    } catch (error) {
      onError(error, req);
    }
    next();
  };
}
