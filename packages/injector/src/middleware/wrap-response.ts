import type { IncomingMessage, OutgoingHttpHeader, ServerResponse } from "node:http";
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
import { installOutermost, type Layer } from "./outermost.js";
import { skipReason } from "./should-inject.js";
import { taggedEtag } from "./validators.js";

/** The snippet as rendered for one response. */
export interface RenderedSnippet {
  html: string;
  bytes: Buffer;
  /** The per-response nonce it carries, if any. */
  nonce: string | undefined;
}

/** What the wrapper asks the middleware, per response. */
export interface ResponseHooks {
  position: InsertionPosition;
  errorPages: boolean;
  /** ETag tag of the nonce-less snippet (see `validators.ts`). */
  tag: string;
  /** The request's If-None-Match was rewritten, so a 304 must carry the tagged ETag. */
  untagged: boolean;
  /** True when the app placed the snippet itself or `skip()` says so. */
  skipped(): boolean;
  /** The snippet for this response and whether it carries a per-response nonce. */
  render(): RenderedSnippet;
  onError(error: unknown): void;
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

/** One response's injection: the decision, taken once at header time, and the wrappers' state. */
class ResponseInjection {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly hooks: ResponseHooks;
  decided = false;
  ended = false;
  /** Set while the whole body is known at header time (a single `end(body)`). */
  wholeBody: Buffer | undefined = undefined;
  /** The injected body as parts (not concatenated: no copy of the page). */
  replacementBody: Buffer[] | undefined = undefined;
  injector: HtmlInjector | undefined = undefined;
  writeHeadLayer!: Layer<ResponseInjection>;
  writeLayer!: Layer<ResponseInjection>;
  endLayer!: Layer<ResponseInjection>;

  constructor(req: IncomingMessage, res: ServerResponse, hooks: ResponseHooks) {
    this.req = req;
    this.res = res;
    this.hooks = hooks;
  }

  fail(error: unknown): void {
    this.injector = undefined;
    this.replacementBody = undefined;
    this.hooks.onError(error);
  }

  writeBelow(self: unknown, args: unknown[]): boolean {
    return this.writeLayer.callBelow(self, args) as boolean;
  }

  /** Returns the (possibly changed) headers for `writeHead`. */
  decide(status: number, headers: WriteHeadHeaders | undefined): WriteHeadHeaders | undefined {
    const { req, res, hooks } = this;
    // Every property access on an express response is slow (each has its own hidden class): one getHeaders()
    // answers all the questions when writeHead got no headers of its own, the common case.
    const set = headers === undefined ? res.getHeaders() : undefined;
    const header = (name: string) =>
      set === undefined ? effectiveHeader(res, headers, name) : headerValue(set[name]);
    if (status === 304 && hooks.untagged) {
      const etag = header("etag");
      const tagged = etag && taggedEtag(etag, hooks.tag);
      return tagged ? withHeader(res, headers, "ETag", tagged) : headers;
    }
    const method = req.method;
    if (skipReason(method, status, header, hooks.errorPages) !== null || hooks.skipped()) return headers;
    const { bytes: html, nonce } = hooks.render();
    let lengthKnown: number | undefined;
    if (method !== "HEAD") {
      const whole = this.wholeBody;
      if (whole !== undefined) {
        const at = findInsertionPoint(whole, hooks.position);
        // Nothing changes, headers included, when the page already has the snippet (or has no place for it).
        if (at < 0) return headers;
        this.replacementBody = spliceSnippet(whole, at, html);
        lengthKnown = whole.length + html.length;
      } else {
        this.injector = createHtmlInjector(html, { position: hooks.position });
      }
    }
    const etag = header("etag");
    if (set !== undefined) {
      if (lengthKnown !== undefined) res.setHeader("Content-Length", lengthKnown);
      else if (set["content-length"] !== undefined) res.removeHeader("content-length");
      if (nonce !== undefined) {
        if (etag !== undefined) res.removeHeader("etag");
        if (set["last-modified"] !== undefined) res.removeHeader("last-modified");
      } else if (etag !== undefined) {
        const tagged = taggedEtag(etag, hooks.tag);
        if (tagged) res.setHeader("ETag", tagged);
        else res.removeHeader("etag");
      }
      return headers;
    }
    // HEAD gets the headers a GET would get, minus a length it cannot know.
    let out = dropHeaders(res, headers, ["content-length"]);
    if (lengthKnown !== undefined) out = withHeader(res, out, "Content-Length", lengthKnown);
    if (nonce !== undefined) {
      // A per-response nonce makes every body different: no validator, so no stale page is ever revalidated.
      out = dropHeaders(res, out, ["etag", "last-modified"]);
    } else if (etag !== undefined) {
      const tagged = taggedEtag(etag, hooks.tag);
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

function writeHeadOuter(state: ResponseInjection, self: unknown, args: unknown[]): unknown {
  if (state.decided) return state.writeHeadLayer.callBelow(self, args);
  state.decided = true;
  const call = parseWriteHead(args);
  try {
    call.headers = state.decide(call.status, call.headers);
  } catch (error) {
    state.fail(error);
  }
  return state.writeHeadLayer.callBelow(self, writeHeadArgs(call, args));
}

function writeOuter(state: ResponseInjection, self: unknown, args: unknown[]): unknown {
  const res = self as ServerResponse;
  if (state.ended || res.writableEnded) {
    const callback = callbackArg(args);
    if (callback) process.nextTick(callback, new Error("write after end"));
    return false;
  }
  if (!res.headersSent) res.writeHead(res.statusCode);
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
  if (current.outcome !== "pending") state.injector = undefined;
  return state.writeOut(self, buffers, callbackArg(args));
}

function endOuter(state: ResponseInjection, self: unknown, args: unknown[]): unknown {
  const res = self as ServerResponse;
  const layer = state.endLayer;
  if (state.ended) {
    const callback = callbackArg(args);
    if (callback) process.nextTick(callback);
    return res;
  }
  state.ended = true;
  const chunk = chunkArg(args);
  if (!res.headersSent) {
    try {
      if (chunk !== undefined && chunk !== null) state.wholeBody = toBuffer(chunk, encodingArg(args));
    } catch {
      state.wholeBody = undefined;
    }
    res.writeHead(res.statusCode);
    state.wholeBody = undefined;
    const parts = state.replacementBody;
    if (parts !== undefined) {
      state.replacementBody = undefined;
      const callback = callbackArg(args);
      const last = parts.pop() as Buffer;
      // The parts go out in one writev: end() uncorks.
      if (parts.length > 0) res.cork();
      for (const part of parts) state.writeBelow(self, [part]);
      return layer.callBelow(self, callback ? [last, callback] : [last]);
    }
  }
  const current = state.injector;
  state.injector = undefined;
  if (current === undefined) return layer.callBelow(self, args);
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
  return layer.callBelow(self, callback ? [callback] : []);
}

/**
 * Wraps `res.writeHead`, `res.write` and `res.end` so the HTML body gets the snippet. The decision is taken once,
 * when headers are written; any failure while deciding or injecting sends the original bytes on.
 */
export function wrapResponse(req: IncomingMessage, res: ServerResponse, hooks: ResponseHooks): void {
  const state = new ResponseInjection(req, res, hooks);
  state.writeHeadLayer = installOutermost(res, "writeHead", state, writeHeadOuter);
  state.writeLayer = installOutermost(res, "write", state, writeOuter);
  state.endLayer = installOutermost(res, "end", state, endOuter);
}
