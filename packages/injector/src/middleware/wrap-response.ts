import type { IncomingMessage, OutgoingHttpHeader, ServerResponse } from "node:http";
import { encodeWithSnippet } from "../html/encode-with-snippet.js";
import { createHtmlInjector, type HtmlInjector } from "../html/html-injector.js";
import { findInsertionPoint } from "../html/inject-html.js";
import type { InsertionPosition } from "../html/insertion-scanner.js";
import {
  dropHeaders,
  effectiveHeader,
  parseWriteHead,
  type WriteHeadHeaders,
  withHeader,
  writeHeadArgs,
} from "./header-args.js";
import { createOutermost, type MethodOuter, type Outer as OuterOf, Wrapped } from "./outermost.js";
import { isHtml, skipReason } from "./should-inject.js";
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
  errorPages: boolean;
  /** ETag tag of the nonce-less snippet (see `validators.ts`). */
  tag: string;
  /** The snippet without a nonce, rendered once. */
  plain: RenderedSnippet;
  /** The insertion point of a whole page given as a string (UTF-16 index), or -1. */
  findInsertion(html: string): number;
  /** This response's CSP nonce, if any. */
  nonceOf(req: IncomingMessage, res: ServerResponse, locals: Record<string, unknown>): string | undefined;
  /** The snippet carrying `nonce`. */
  renderWith(nonce: string): RenderedSnippet;
  /** True to leave this response alone (the `skip` option). */
  skip: ((req: IncomingMessage, res: ServerResponse) => boolean) | undefined;
  onError(error: unknown, req: IncomingMessage): void;
}

type Encoding = BufferEncoding | undefined;
type Callback = ((error?: Error | null) => void) | undefined;

function toBuffer(chunk: unknown, encoding: Encoding): Buffer {
  if (typeof chunk === "string") return Buffer.from(chunk, encoding ?? "utf8");
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  throw new TypeError("response chunk must be a string, Buffer or Uint8Array");
}

/** The callback of `write(chunk[, encoding][, cb])` / `end([chunk][, encoding][, cb])`. */
function callbackArg(args: unknown[]): Callback {
  const [chunk, encoding, callback] = args;
  const found = typeof chunk === "function" ? chunk : typeof encoding === "function" ? encoding : callback;
  return (typeof found === "function" ? found : undefined) as Callback;
}

/** The chunk of `write`/`end` arguments (undefined for `end(cb)`). */
function chunkArg(args: unknown[]): unknown {
  const chunk = args[0];
  return typeof chunk === "function" ? undefined : chunk;
}

/** The encoding of `write`/`end` arguments. */
function encodingArg(args: unknown[]): Encoding {
  const [chunk, encoding] = args;
  return (typeof chunk === "function" || typeof encoding === "function" ? undefined : encoding) as Encoding;
}

function isUtf8(encoding: Encoding): boolean {
  return encoding === undefined || encoding === "utf8" || encoding === "utf-8" || /^utf-?8$/i.test(encoding);
}

function headerValue(value: OutgoingHttpHeader | undefined): string | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(", ") : String(value);
}

/**
 * The page with the snippet at `at`, as two buffers (one `write`, then `end`): the snippet joins the shorter side,
 * so at most half the page (usually just its head) is copied.
 */
function spliceSnippet(page: Buffer, at: number, snippet: Buffer): Buffer[] {
  if (at === 0) return [snippet, page];
  if (at === page.length) return [page, snippet];
  if (at <= page.length - at) return [Buffer.concat([page.subarray(0, at), snippet]), page.subarray(at)];
  return [page.subarray(0, at), Buffer.concat([snippet, page.subarray(at)])];
}

/** A per-response nonce makes every body different: no validator, so no stale page is ever revalidated. */
function dropValidators(res: ServerResponse): void {
  res.removeHeader("etag");
  res.removeHeader("last-modified");
}

/** An ETag set upstream describes the page before injection: it goes out tagged with the snippet (or not at all). */
function retagEtag(res: ServerResponse, etag: string, tag: string): void {
  const tagged = taggedEtag(etag, tag);
  if (tagged) res.setHeader("ETag", tagged);
  else res.removeHeader("etag");
}

/** The text page with the snippet at `at`: slices of the page (not copied) around the snippet. */
function spliceSnippetText(page: string, at: number, snippet: string): string[] {
  if (at === 0) return [snippet, page];
  if (at === page.length) return [page, snippet];
  return [page.slice(0, at), snippet, page.slice(at)];
}

/**
 * One response's injection: its snippet, the decision (taken once, when a whole page is sent or headers are
 * written) and the wrappers' state. The one object a response costs.
 */
export class ResponseInjection extends Wrapped {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly locals: Record<string, unknown>;
  readonly config: InjectionConfig;
  /** The request's If-None-Match as received, when it was rewritten (a 304 must then carry the tagged ETag). */
  readonly ifNoneMatch: string | undefined;
  private rendered: RenderedSnippet | undefined = undefined;
  decided = false;
  ended = false;
  /** Set while the whole body is known at header time (a single `end(body)`). */
  wholeBody: Buffer | undefined = undefined;
  /** The same, when `end` got a UTF-8 string (express's `res.send`): it is never copied or re-encoded. */
  wholeText: string | undefined = undefined;
  /** The injected body as parts (not concatenated: no copy of the page). */
  replacementBody: (Buffer | string)[] | undefined = undefined;
  injector: HtmlInjector | undefined = undefined;
  /** The page went out injected with a per-response nonce: the ETag express made of it must not go out. */
  stripValidators = false;

  constructor(
    req: IncomingMessage,
    res: ServerResponse,
    locals: Record<string, unknown>,
    config: InjectionConfig,
    ifNoneMatch: string | undefined,
  ) {
    super();
    this.req = req;
    this.res = res;
    this.locals = locals;
    this.config = config;
    this.ifNoneMatch = ifNoneMatch;
  }

  /** The snippet for this response: with its nonce when it has one (read when first needed). */
  render(): RenderedSnippet {
    const nonce = this.config.nonceOf(this.req, this.res, this.locals);
    if (nonce === undefined) return this.config.plain;
    if (this.rendered?.nonce !== nonce) this.rendered = this.config.renderWith(nonce);
    return this.rendered;
  }

  /** The app places the snippet itself: returns it, and the page is left alone. */
  place(): string {
    this.locals.trackletSnippetPlaced = true;
    return this.render().html;
  }

  /** True when the app placed the snippet itself or `skip()` says so. */
  skipped(): boolean {
    return this.locals.trackletSnippetPlaced === true || (this.config.skip?.(this.req, this.res) ?? false);
  }

  fail(error: unknown): void {
    this.injector = undefined;
    this.replacementBody = undefined;
    this.config.onError(error, this.req);
  }

  writeBelow(self: unknown, args: unknown[]): boolean {
    return this.callBelow(WRITE, self, args) as boolean;
  }

  /** Nothing more to do for this response: its methods are handed out unwrapped from now on. */
  leaveAlone(): void {
    this.decided = true;
    this.injector = undefined;
    this.transparent = true;
  }

  /** Returns the (possibly changed) headers for `writeHead`. */
  decide(status: number, headers: WriteHeadHeaders | undefined): WriteHeadHeaders | undefined {
    const { req, res, config } = this;
    // writeHead usually gets no headers of its own (express sets them all with setHeader).
    const own = headers === undefined;
    const header = (name: string) =>
      own ? headerValue(res.getHeader(name)) : effectiveHeader(res, headers, name);
    if (status === 304 && this.ifNoneMatch !== undefined) {
      const etag = header("etag");
      const tagged = etag && taggedEtag(etag, config.tag);
      return tagged ? withHeader(res, headers, "ETag", tagged) : headers;
    }
    const method = req.method;
    if (skipReason(method, status, header, config.errorPages) !== null || this.skipped()) {
      this.leaveAlone();
      return headers;
    }
    const { bytes: html, html: htmlText, nonce } = this.render();
    let lengthKnown: number | undefined;
    if (method !== "HEAD") {
      const whole = this.wholeBody;
      const text = this.wholeText;
      if (text !== undefined) {
        const at = config.findInsertion(text);
        if (at < 0) {
          this.leaveAlone();
          return headers;
        }
        this.replacementBody = spliceSnippetText(text, at, htmlText);
        lengthKnown = Buffer.byteLength(text) + html.length;
      } else if (whole !== undefined) {
        const at = findInsertionPoint(whole, config.position);
        // Nothing changes, headers included, when the page already has the snippet (or has no place for it).
        if (at < 0) {
          this.leaveAlone();
          return headers;
        }
        this.replacementBody = spliceSnippet(whole, at, html);
        lengthKnown = whole.length + html.length;
      } else {
        this.injector = createHtmlInjector(html, { position: config.position });
      }
    }
    const etag = header("etag");
    if (own) {
      if (lengthKnown !== undefined) res.setHeader("Content-Length", lengthKnown);
      else res.removeHeader("content-length");
      if (nonce !== undefined) dropValidators(res);
      else if (etag !== undefined) retagEtag(res, etag, config.tag);
      return headers;
    }
    // HEAD gets the headers a GET would get, minus a length it cannot know.
    let out = dropHeaders(res, headers, ["content-length"]);
    if (lengthKnown !== undefined) out = withHeader(res, out, "Content-Length", lengthKnown);
    if (nonce !== undefined) {
      // A per-response nonce makes every body different: no validator, so no stale page is ever revalidated.
      out = dropHeaders(res, out, ["etag", "last-modified"]);
    } else if (etag !== undefined) {
      const tagged = taggedEtag(etag, config.tag);
      out = tagged ? withHeader(res, out, "ETag", tagged) : dropHeaders(res, out, ["etag"]);
    }
    return out;
  }

  writeOut(self: unknown, buffers: Buffer[], callback: Callback): boolean {
    if (buffers.length === 0) {
      if (callback) process.nextTick(callback);
      return true;
    }
    let ok = true;
    const last = buffers.length - 1;
    for (let i = 0; i <= last; i++) {
      const buf = buffers[i] as Buffer;
      ok = this.writeBelow(self, i === last && callback ? [buf, callback] : [buf]) && ok;
    }
    return ok;
  }
}

const WRITE_HEAD = 0;
const WRITE = 1;
const END = 2;

type Outer = OuterOf<ResponseInjection>;

const writeHeadOuter: Outer = (state, self, args) => {
  if (state.decided) {
    if (state.stripValidators) dropValidators(self as ServerResponse);
    return state.callBelow(WRITE_HEAD, self, args);
  }
  state.decided = true;
  // writeHead(status), the common case, has no headers of its own to rewrite: its arguments go on as they are.
  const call = args.length === 1 ? undefined : parseWriteHead(args);
  try {
    const headers = state.decide(call?.status ?? Number(args[0]), call?.headers);
    if (call !== undefined) call.headers = headers;
  } catch (error) {
    state.fail(error);
  }
  return state.callBelow(WRITE_HEAD, self, call === undefined ? args : writeHeadArgs(call, args));
};

const writeOuter: Outer = (state, self, args) => {
  const res = self as ServerResponse;
  if (state.ended || res.writableEnded) {
    const callback = callbackArg(args);
    if (callback) process.nextTick(callback, new Error("write after end"));
    return false;
  }
  // Ours is the outermost writeHead: called directly, not through a fresh read.
  if (!res.headersSent) writeHeadOuter(state, self, [res.statusCode]);
  const current = state.injector;
  if (current === undefined) return state.writeBelow(self, args);
  const chunk = chunkArg(args);
  let buffers: Buffer[];
  let input: Buffer | undefined;
  try {
    input = toBuffer(chunk, encodingArg(args));
    buffers = current.push(input);
  } catch (error) {
    state.fail(error);
    if (input === undefined) return state.writeBelow(self, args);
    buffers = [...current.abort(), input];
  }
  // Once the snippet is in (or not needed), the rest of the stream passes unwrapped.
  if (current.outcome !== "pending") state.leaveAlone();
  return state.writeOut(self, buffers, callbackArg(args));
};

const endOuter: Outer = (state, self, args) => {
  const res = self as ServerResponse;
  if (state.ended) {
    const callback = callbackArg(args);
    if (callback) process.nextTick(callback);
    return res;
  }
  state.ended = true;
  if (state.decided && state.injector === undefined) return state.callBelow(END, self, args);
  const chunk = chunkArg(args);
  if (!res.headersSent) {
    try {
      if (chunk !== undefined && chunk !== null) {
        const encoding = encodingArg(args);
        if (typeof chunk === "string" && isUtf8(encoding)) state.wholeText = chunk;
        else state.wholeBody = toBuffer(chunk, encoding);
      }
    } catch {
      state.wholeBody = undefined;
    }
    writeHeadOuter(state, self, [res.statusCode]);
    state.wholeBody = undefined;
    state.wholeText = undefined;
    const parts = state.replacementBody;
    if (parts !== undefined) {
      state.replacementBody = undefined;
      const callback = callbackArg(args);
      const last = parts.pop() as Buffer | string;
      // The parts go out in one writev: end() uncorks.
      if (parts.length > 0) res.cork();
      for (const part of parts) state.writeBelow(self, [part]);
      return state.callBelow(END, self, callback ? [last, callback] : [last]);
    }
  }
  const current = state.injector;
  state.injector = undefined;
  if (current === undefined) return state.callBelow(END, self, args);
  let buffers: Buffer[] = [];
  const input = chunk === undefined || chunk === null ? undefined : toBuffer(chunk, encodingArg(args));
  try {
    if (input !== undefined) buffers = current.push(input);
  } catch (error) {
    state.fail(error);
    buffers = [...current.abort(), input as Buffer];
  }
  try {
    buffers.push(...current.end());
  } catch (error) {
    state.fail(error);
    buffers.push(...current.abort());
  }
  for (const buf of buffers) state.writeBelow(self, [buf]);
  const callback = callbackArg(args);
  return state.callBelow(END, self, callback ? [callback] : []);
};

/** What express makes the Content-Type of a string body. */
const HTML_UTF8 = "text/html; charset=utf-8";

/**
 * express's `res.send(string)` (behind `res.render` too): the page is encoded once, snippet included, into the
 * Buffer express would have made of it, so express's Content-Length and ETag describe the injected page at no
 * extra cost. Every other body takes the `writeHead`/`write`/`end` path.
 */
const sendOuter: MethodOuter<ResponseInjection> = (state, self, args, inherited) => {
  const res = self as ServerResponse;
  const body = args[0];
  if (typeof body !== "string" || args.length !== 1 || state.decided || state.req.method === "HEAD") {
    return inherited.apply(self, args);
  }
  const type = res.getHeader("content-type");
  // Another Content-Type keeps express's own charset handling: the page takes the end() path.
  if (
    type !== undefined &&
    type !== HTML_UTF8 &&
    (typeof type !== "string" || type.toLowerCase() !== HTML_UTF8)
  ) {
    return inherited.apply(self, args);
  }
  const config = state.config;
  let page: Buffer;
  try {
    const header = (name: string) => (name === "content-type" ? HTML_UTF8 : headerValue(res.getHeader(name)));
    // Headers written through this response's writeHead have decided it already (`state.decided`). Headers written
    // past it make express's send throw, with or without the snippet: `headersSent` is read only then (below).
    if (skipReason("GET", res.statusCode, header, config.errorPages) !== null || state.skipped()) {
      state.leaveAlone();
      return inherited.apply(self, args);
    }
    const at = config.findInsertion(body);
    if (at < 0) {
      state.leaveAlone();
      return inherited.apply(self, args);
    }
    const { bytes: snippet, nonce } = state.render();
    page = encodeWithSnippet(body, at, snippet);
    if (type === undefined) res.setHeader("Content-Type", HTML_UTF8);
    const etag = header("etag");
    if (nonce !== undefined) {
      // Dropped before express checks freshness, so the app's validators cannot revalidate a page with a stale
      // nonce; the ETag express then makes of the page is dropped at header time.
      state.decided = true;
      state.stripValidators = true;
      dropValidators(res);
    } else {
      state.leaveAlone();
      if (etag !== undefined) {
        // express compares the request with the tagged ETag itself.
        retagEtag(res, etag, config.tag);
        if (state.ifNoneMatch !== undefined) state.req.headers["if-none-match"] = state.ifNoneMatch;
      }
    }
  } catch (error) {
    state.leaveAlone();
    // Setting a header after they were sent throws: that is the app's error, which express's send throws again.
    if (!res.headersSent) state.fail(error);
    return inherited.apply(self, args);
  }
  return inherited.call(self, page);
};

/**
 * A response about to be written (`write`/`end` read, which express does as it sends) whose Content-Type is set
 * and not HTML is left alone at once: JSON, scripts and images cost no wrapper calls.
 */
function settled(state: ResponseInjection, i: number): boolean {
  if (i === WRITE_HEAD || state.decided) return false;
  const type = state.res.getHeader("content-type");
  if (type === undefined || isHtml(headerValue(type))) return false;
  state.leaveAlone();
  return true;
}

/**
 * Wraps `res.writeHead`, `res.write` and `res.end` (and express's `res.send`) of the response `state` was made
 * for, so the HTML body gets the snippet. Any failure while deciding or injecting sends the original bytes on.
 */
export const wrapResponse = createOutermost<ResponseInjection>({
  accessors: ["writeHead", "write", "end"],
  accessorOuters: [writeHeadOuter, writeOuter, endOuter],
  settled,
  methods: { send: sendOuter },
});
