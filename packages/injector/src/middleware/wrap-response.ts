import type { IncomingMessage, ServerResponse } from "node:http";
import { createHtmlInjector, type HtmlInjector } from "../html/html-injector.js";
import type { InsertionPosition } from "../html/insertion-scanner.js";
import {
  dropHeaders,
  effectiveHeader,
  parseWriteHead,
  type WriteHeadHeaders,
  withHeader,
  writeHeadArgs,
} from "./header-args.js";
import { type CallBelow, installOutermost } from "./outermost.js";
import { skipReason } from "./should-inject.js";
import { taggedEtag } from "./validators.js";

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
  render(): { html: string; bytes: Buffer; nonce: string | undefined };
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

/** `write(chunk[, encoding][, cb])` / `end([chunk][, encoding][, cb])` arguments, normalised. */
function chunkArgs(args: unknown[]): { chunk: unknown; encoding: Encoding; callback: Callback } {
  let [chunk, encoding, callback] = args;
  if (typeof chunk === "function") {
    callback = chunk;
    chunk = undefined;
  } else if (typeof encoding === "function") {
    callback = encoding;
    encoding = undefined;
  }
  return { chunk, encoding: encoding as Encoding, callback: callback as Callback };
}

/**
 * Wraps `res.writeHead`, `res.write` and `res.end` so the HTML body gets the snippet. The decision is taken once,
 * when headers are written; any failure while deciding or injecting sends the original bytes on.
 */
export function wrapResponse(req: IncomingMessage, res: ServerResponse, hooks: ResponseHooks): void {
  let decided = false;
  let ended = false;
  /** Set while the whole body is known at header time (a single `end(body)`). */
  let wholeBody: Buffer | undefined;
  /** The injected body as parts (not concatenated: no copy of the page). */
  let replacementBody: Buffer[] | undefined;
  let injector: HtmlInjector | undefined;

  function fail(error: unknown): void {
    injector = undefined;
    replacementBody = undefined;
    hooks.onError(error);
  }

  /** Returns the (possibly changed) headers for `writeHead`. */
  function decide(status: number, headers: WriteHeadHeaders | undefined): WriteHeadHeaders | undefined {
    if (status === 304 && hooks.untagged) {
      const etag = effectiveHeader(res, headers, "etag");
      const tagged = etag && taggedEtag(etag, hooks.tag);
      return tagged ? withHeader(res, headers, "ETag", tagged) : headers;
    }
    if (skipReason(req, res, status, headers, hooks.errorPages) !== null || hooks.skipped()) return headers;
    const { bytes: html, nonce } = hooks.render();
    let lengthKnown: number | undefined;
    if (req.method !== "HEAD") {
      if (wholeBody !== undefined) {
        const whole = createHtmlInjector(html, { position: hooks.position });
        const parts = [...whole.push(wholeBody), ...whole.end()];
        // Nothing changes, headers included, when the page already has the snippet.
        if (whole.outcome !== "injected") return headers;
        replacementBody = parts;
        lengthKnown = parts.reduce((sum, part) => sum + part.length, 0);
      } else {
        injector = createHtmlInjector(html, { position: hooks.position });
      }
    }
    // HEAD gets the headers a GET would get, minus a length it cannot know.
    let out = dropHeaders(res, headers, ["content-length"]);
    if (lengthKnown !== undefined) out = withHeader(res, out, "Content-Length", lengthKnown);
    const etag = effectiveHeader(res, headers, "etag");
    if (nonce !== undefined) {
      // A per-response nonce makes every body different: no validator, so no stale page is ever revalidated.
      out = dropHeaders(res, out, ["etag", "last-modified"]);
    } else if (etag !== undefined) {
      const tagged = taggedEtag(etag, hooks.tag);
      out = tagged ? withHeader(res, out, "ETag", tagged) : dropHeaders(res, out, ["etag"]);
    }
    return out;
  }

  installOutermost(
    res,
    "writeHead",
    (callBelow) =>
      function writeHead(this: ServerResponse, ...args: unknown[]) {
        if (decided) return callBelow(this, args);
        decided = true;
        const call = parseWriteHead(args);
        try {
          call.headers = decide(call.status, call.headers);
        } catch (error) {
          fail(error);
        }
        return callBelow(this, writeHeadArgs(call, args));
      },
  );

  let writeBelow: CallBelow = () => false;

  function writeOut(self: ServerResponse, buffers: Buffer[], callback: Callback): boolean {
    if (buffers.length === 0) {
      if (callback) process.nextTick(callback);
      return true;
    }
    let ok = true;
    buffers.forEach((buf, i) => {
      const last = i === buffers.length - 1;
      ok = (writeBelow(self, last && callback ? [buf, callback] : [buf]) as boolean) && ok;
    });
    return ok;
  }

  installOutermost(res, "write", (callBelow) => {
    writeBelow = callBelow;
    return function write(this: ServerResponse, ...args: unknown[]) {
      const { chunk, encoding, callback } = chunkArgs(args);
      if (ended || this.writableEnded) {
        if (callback) process.nextTick(callback, new Error("write after end"));
        return false;
      }
      if (!this.headersSent) this.writeHead(this.statusCode);
      const current = injector;
      if (current === undefined) return callBelow(this, args);
      let buffers: Buffer[];
      let input: Buffer | undefined;
      try {
        input = toBuffer(chunk, encoding);
        buffers = current.push(input);
      } catch (error) {
        fail(error);
        if (input === undefined) return callBelow(this, args);
        buffers = [...current.abort(), input];
      }
      if (current.outcome !== "pending") injector = undefined;
      return writeOut(this, buffers, callback);
    };
  });

  installOutermost(
    res,
    "end",
    (callBelow) =>
      function end(this: ServerResponse, ...args: unknown[]) {
        const { chunk, encoding, callback } = chunkArgs(args);
        if (ended) {
          if (callback) process.nextTick(callback);
          return this;
        }
        ended = true;
        if (!this.headersSent) {
          try {
            if (chunk !== undefined && chunk !== null) wholeBody = toBuffer(chunk, encoding);
          } catch {
            wholeBody = undefined;
          }
          this.writeHead(this.statusCode);
          wholeBody = undefined;
          if (replacementBody !== undefined) {
            const parts = replacementBody;
            replacementBody = undefined;
            const last = parts.pop() ?? Buffer.alloc(0);
            // The parts go out in one writev: end() uncorks.
            if (parts.length > 0) this.cork();
            for (const part of parts) writeBelow(this, [part]);
            return callBelow(this, callback ? [last, callback] : [last]);
          }
        }
        const current = injector;
        injector = undefined;
        if (current === undefined) return callBelow(this, args);
        let buffers: Buffer[] = [];
        const input = chunk === undefined || chunk === null ? undefined : toBuffer(chunk, encoding);
        try {
          if (input !== undefined) buffers = current.push(input);
        } catch (error) {
          fail(error);
          buffers = [...current.abort(), input as Buffer];
        }
        try {
          buffers.push(...current.end());
        } catch (error) {
          fail(error);
          buffers.push(...current.abort());
        }
        for (const buf of buffers) writeBelow(this, [buf]);
        return callBelow(this, callback ? [callback] : []);
      },
  );
}
