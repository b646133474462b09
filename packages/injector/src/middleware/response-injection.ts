import type { IncomingMessage, ServerResponse } from "node:http";
import { encodeWithSnippet } from "../html/encode-with-snippet.js";
import { createHtmlInjector, type HtmlInjector } from "../html/html-injector.js";
import { findInsertionPoint } from "../html/inject-html.js";
import type { InsertionPosition } from "../html/insertion-scanner.js";
import { type Callback, parseChunkCall, toBuffer } from "./chunk-args.js";
import { headerValue, moveToResponse, parseWriteHead, type WriteHeadCall } from "./header-args.js";
import {
  type AnyMethod,
  keepOutermost,
  type MethodsBelow,
  type OutermostName,
  type ResponseWrappers,
} from "./keep-outermost.js";
import { type HeaderLookup, isHtml, skipReason } from "./should-inject.js";
import { taggedEtag } from "./validators.js";

/** The snippet as rendered for one response. */
export interface RenderedSnippet {
  html: string;
  bytes: Buffer;
  /** The per-response nonce it carries, if any. */
  nonce: string | undefined;
}

/** What the middleware settles once for all its responses. */
export interface InjectionConfig {
  position: InsertionPosition;
  /** Where a string page gets the snippet (UTF-16 index, or -1): `createInsertionFinder(position)`. */
  findInsertion(html: string): number;
  errorPages: boolean;
  /** ETag tag of the nonce-less snippet (see `validators.ts`). */
  tag: string;
  /** The snippet without a nonce, rendered once. */
  plain: RenderedSnippet;
  /** This response's CSP nonce, if any. */
  nonceOf(req: IncomingMessage, res: ServerResponse): string | undefined;
  /** The snippet carrying `nonce`. */
  renderWith(nonce: string): RenderedSnippet;
  /** True to leave this response alone (the `skip` option). */
  skip: ((req: IncomingMessage, res: ServerResponse) => boolean) | undefined;
  onError(error: unknown, req: IncomingMessage): void;
  /** Counts a page that went out carrying the snippet (coverage); undefined when pages are not counted. */
  countDocument: ((req: IncomingMessage) => void) | undefined;
}

/** A response with Express's `res.locals` (plain `http` responses get one). */
type ExpressResponse = ServerResponse & { locals?: Record<string, unknown> };

/** Why a page the app put the snippet into itself is left alone; it still counts as a page with the snippet. */
const PLACED = "placed by the app";

/** What express makes the Content-Type of a string body. */
const HTML_UTF8 = "text/html; charset=utf-8";

/** A per-response nonce makes every body different: no validator, so no stale page is ever revalidated. */
function dropValidators(res: ServerResponse): void {
  res.removeHeader("etag");
  res.removeHeader("last-modified");
}

/** The page with the snippet at byte offset `at`. */
function spliced(page: Buffer, at: number, snippet: Buffer): Buffer {
  return Buffer.concat([page.subarray(0, at), snippet, page.subarray(at)]);
}

/**
 * One response's injection. It wraps the response's `writeHead`, `write` and `end` (kept outermost, see
 * {@link keepOutermost}) and express's `res.send`, and decides once, when the headers are about to be written,
 * whether the body gets the snippet. Any failure while deciding or injecting sends the original bytes on.
 */
export class ResponseInjection implements ResponseWrappers {
  private readonly req: IncomingMessage;
  private readonly res: ExpressResponse;
  private readonly config: InjectionConfig;
  /** The request's If-None-Match as received, when it was untagged (a 304 then carries the tagged ETag). */
  private readonly ifNoneMatch: string | undefined;
  /** What sits below this response's wrappers. */
  private readonly methods: MethodsBelow;
  private decided = false;
  private ended = false;
  private placed = false;
  /** A streamed body's injector, until the snippet is in (or known not to go in). */
  private injector: HtmlInjector | undefined;
  /** The page was injected with a per-response nonce: the ETag express makes of it must not go out. */
  private stripValidators = false;
  private rendered: RenderedSnippet | undefined;

  constructor(req: IncomingMessage, res: ServerResponse, config: InjectionConfig, ifNoneMatch?: string) {
    this.req = req;
    this.res = res;
    this.config = config;
    this.ifNoneMatch = ifNoneMatch;
    this.methods = keepOutermost(res, this);
  }

  /** Decided, with nothing left to change: the response's methods are handed out unwrapped. */
  get passThrough(): boolean {
    return this.decided && this.injector === undefined && !this.stripValidators && !this.ended;
  }

  /** The snippet for this response: with its nonce when it has one. */
  render(): RenderedSnippet {
    const nonce = this.config.nonceOf(this.req, this.res);
    if (nonce === undefined) return this.config.plain;
    if (this.rendered?.nonce !== nonce) this.rendered = this.config.renderWith(nonce);
    return this.rendered;
  }

  /** The app places the snippet itself: returns it, and the page is left alone. */
  place(): string {
    this.placed = true;
    if (this.res.locals) this.res.locals.trackletSnippetPlaced = true;
    return this.render().html;
  }

  /** Why the response is left alone, or null to inject it. */
  private whyLeftAlone(status: number, header: HeaderLookup): string | null {
    const reason = skipReason(this.req.method, status, header, this.config.errorPages);
    if (reason !== null) return reason;
    if (this.placed || this.res.locals?.trackletSnippetPlaced === true) return PLACED;
    // tracklet's collector marks its own pages (dashboard, API): their CSP would block the snippet anyway.
    if (this.res.locals?.trackletNoSnippet === true) return "res.locals.trackletNoSnippet";
    if (this.config.skip?.(this.req, this.res)) return "skip()";
    return null;
  }

  /**
   * The decision, taken once when the headers are about to be written; `body` is the whole body when `end` got it
   * before anything was written. Returns the body to send instead, if any, and sets the headers to match it.
   * `writeHead`'s own headers are moved onto the response when they change (`call.headers` is then undefined).
   */
  private decide(call: WriteHeadCall, body: Buffer | undefined): Buffer | undefined {
    this.decided = true;
    const { res, req } = this;
    const header = (name: string) => headerValue(res, call.headers, name);
    if (call.status === 304) {
      this.retagNotModified(call, header("etag"));
      return undefined;
    }
    const reason = this.whyLeftAlone(call.status, header);
    if (reason !== null) {
      if (reason === PLACED) this.counted();
      return undefined;
    }
    const snippet = this.render();
    let page: Buffer | undefined;
    if (req.method !== "HEAD" && body !== undefined) {
      const at = findInsertionPoint(body, this.config.position);
      // A page that already carries the snippet (or has no place for it) is left alone, headers included.
      if (at < 0) return undefined;
      page = spliced(body, at, snippet.bytes);
      this.counted();
    } else if (req.method !== "HEAD") {
      this.injector = createHtmlInjector(snippet.bytes, { position: this.config.position });
    }
    if (call.headers !== undefined) {
      moveToResponse(res, call.headers);
      call.headers = undefined;
    }
    // HEAD gets the headers a GET gets, minus a length it cannot know.
    if (page !== undefined) res.setHeader("Content-Length", page.length);
    else res.removeHeader("content-length");
    this.retag(snippet.nonce);
    return page;
  }

  /** An ETag set upstream describes the page before injection: it goes out tagged with the snippet (or not at all). */
  private retag(nonce: string | undefined): void {
    const { res } = this;
    if (nonce !== undefined) {
      dropValidators(res);
      return;
    }
    const etag = headerValue(res, undefined, "etag");
    if (etag === undefined) return;
    const tagged = taggedEtag(etag, this.config.tag);
    if (tagged) res.setHeader("ETag", tagged);
    else res.removeHeader("etag");
  }

  /** A 304 answering an If-None-Match that was untagged carries the tagged ETag the browser holds. */
  private retagNotModified(call: WriteHeadCall, etag: string | undefined): void {
    const tagged = this.ifNoneMatch !== undefined && etag !== undefined && taggedEtag(etag, this.config.tag);
    if (!tagged) return;
    if (call.headers !== undefined) moveToResponse(this.res, call.headers);
    call.headers = undefined;
    this.res.setHeader("ETag", tagged);
  }

  private below(name: OutermostName, args: unknown[]): unknown {
    return this.methods.callBelow(name, args);
  }

  /** This response's page carries the snippet. */
  private counted(): void {
    this.config.countDocument?.(this.req);
  }

  /** A streamed page's injector is done: the page is counted when it got the snippet. */
  private settled(injector: HtmlInjector): void {
    if (injector.outcome === "injected") this.counted();
  }

  private fail(error: unknown): void {
    this.injector = undefined;
    this.config.onError(error, this.req);
  }

  writeHead(args: unknown[]): unknown {
    const { res } = this;
    if (this.decided) {
      if (this.stripValidators) dropValidators(res);
      return this.below("writeHead", args);
    }
    const call = parseWriteHead(args);
    const given = call.headers;
    try {
      this.decide(call, undefined);
    } catch (error) {
      this.fail(error);
    }
    if (call.headers === given) return this.below("writeHead", args);
    return this.below("writeHead", call.reason === undefined ? [args[0]] : [args[0], call.reason]);
  }

  write(args: unknown[]): unknown {
    const { res } = this;
    if (this.ended) {
      const { callback } = parseChunkCall(args);
      if (callback) process.nextTick(callback, new Error("write after end"));
      return false;
    }
    if (!this.decided) {
      // Headers written past this middleware: the response is left alone.
      if (res.headersSent) this.decided = true;
      else this.writeHead([res.statusCode]);
    }
    const injector = this.injector;
    if (injector === undefined) return this.below("write", args);
    const { chunk, encoding, callback } = parseChunkCall(args);
    let input: Buffer;
    try {
      input = toBuffer(chunk, encoding);
    } catch (error) {
      this.fail(error);
      return this.below("write", args);
    }
    const out = this.pushed(injector, input);
    // Once the snippet is in (or known not to go in), the rest of the stream passes straight through.
    if (injector.outcome !== "pending") {
      this.injector = undefined;
      this.settled(injector);
    }
    return this.writeOut(out, callback);
  }

  end(args: unknown[]): unknown {
    const { res } = this;
    if (this.ended) {
      const { callback } = parseChunkCall(args);
      if (callback) process.nextTick(callback);
      return res;
    }
    this.ended = true;
    if (!this.decided && !res.headersSent) return this.endWhole(args);
    this.decided = true;
    const injector = this.injector;
    if (injector === undefined) return this.below("end", args);
    this.injector = undefined;
    const { chunk, encoding, callback } = parseChunkCall(args);
    const out = chunk === undefined || chunk === null ? [] : this.pushed(injector, toBuffer(chunk, encoding));
    try {
      out.push(...injector.end());
      this.settled(injector);
    } catch (error) {
      this.fail(error);
      out.push(...injector.abort());
    }
    for (const buf of out) this.below("write", [buf]);
    return callback ? this.below("end", [callback]) : this.below("end", []);
  }

  /** `end(body)` before anything was written: the whole body is known when the headers are written. */
  private endWhole(args: unknown[]): unknown {
    const { res } = this;
    const { chunk, encoding, callback } = parseChunkCall(args);
    let page: Buffer | undefined;
    try {
      const body = chunk === undefined || chunk === null ? Buffer.alloc(0) : toBuffer(chunk, encoding);
      page = this.decide({ status: res.statusCode, reason: undefined, headers: undefined }, body);
    } catch (error) {
      this.fail(error);
    }
    if (page === undefined) return this.below("end", args);
    return callback ? this.below("end", [page, callback]) : this.below("end", [page]);
  }

  /** What the injector gives for `input`; on a failure, the held-back bytes and `input` as they were. */
  private pushed(injector: HtmlInjector, input: Buffer): Buffer[] {
    try {
      return injector.push(input);
    } catch (error) {
      this.fail(error);
      return [...injector.abort(), input];
    }
  }

  private writeOut(buffers: Buffer[], callback: Callback): boolean {
    if (buffers.length === 0) {
      if (callback) process.nextTick(callback);
      return true;
    }
    let ok = true;
    const last = buffers.length - 1;
    for (let i = 0; i <= last; i++) {
      const args = i === last && callback ? [buffers[i], callback] : [buffers[i]];
      ok = (this.below("write", args) as boolean) && ok;
    }
    return ok;
  }

  /** express's `res.send`: a string page gets the snippet before express measures and hashes it. */
  send(send: AnyMethod, args: unknown[]): unknown {
    const { res } = this;
    const body = args[0];
    // Other bodies, and pages decided already, go through end().
    if (typeof body !== "string" || args.length !== 1 || this.decided) return send.apply(res, args);
    // express's send reports the headers written past this middleware.
    if (res.headersSent) return send.apply(res, args);
    const type = res.getHeader("content-type");
    if (type !== undefined && String(type).toLowerCase() !== HTML_UTF8) {
      // JSON, scripts: left alone. Other HTML keeps express's own charset handling: it is injected in end().
      if (!isHtml(String(type))) this.decided = true;
      return send.apply(res, args);
    }
    let page: Buffer | undefined;
    try {
      page = this.injectPage(body, type === undefined);
    } catch (error) {
      this.fail(error);
    }
    return send.apply(res, page === undefined ? args : [page]);
  }

  /**
   * The page `res.send` is given, with the snippet, as the Buffer express would have made of it: express's own
   * Content-Length and ETag then describe the injected page, for HEAD as for GET. Undefined to leave it alone.
   */
  private injectPage(body: string, untyped: boolean): Buffer | undefined {
    const { res, req } = this;
    this.decided = true;
    const header = (name: string) =>
      name === "content-type" ? HTML_UTF8 : headerValue(res, undefined, name);
    const reason = this.whyLeftAlone(res.statusCode, header);
    if (reason !== null) {
      if (reason === PLACED) this.counted();
      return undefined;
    }
    const at = this.config.findInsertion(body);
    if (at < 0) return undefined;
    const snippet = this.render();
    const page = encodeWithSnippet(body, at, snippet.bytes);
    this.counted();
    if (untyped) res.setHeader("Content-Type", HTML_UTF8);
    if (snippet.nonce !== undefined) {
      // Dropped before express checks freshness, and the ETag express then makes of the page when it is written.
      this.stripValidators = true;
      dropValidators(res);
    } else if (res.hasHeader("etag")) {
      this.retag(undefined);
      // express compares the request with the tagged ETag itself.
      if (this.ifNoneMatch !== undefined) req.headers["if-none-match"] = this.ifNoneMatch;
    }
    return page;
  }
}
