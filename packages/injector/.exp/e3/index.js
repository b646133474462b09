import {
  ANALYTICS_MODES,
  ANALYTICS_TOOLS,
  DEFAULT_BOOTSTRAP_PATH,
  DEFAULT_PROLOGUE_WINDOW,
  FIRST_PARTY_TOOLS,
  OPTIONS,
  SNIPPET_MARKER,
  TRACKED_FEATURES,
  createHtmlInjector,
  createSnippet,
  findInsertionPoint,
  formatSettings,
  injectHtml,
  loadConfig,
  maskSettings,
  parseConfig,
  scanInsertionIndex
} from "./chunk-4Y6U6FSY.js";

// src/index.ts
import { ConfigError } from "@tracklet/config";

// src/middleware/analytics.ts
import { formatIssue } from "@tracklet/config";

// src/html/insertion-finder.ts
function detached(text) {
  return Buffer.from(text, "utf16le").toString("utf16le");
}
function createInsertionFinder(position = "head-end", options = {}) {
  const size = Math.max(1, options.size ?? 16);
  const maxPrefix = options.maxPrefix ?? 16 * 1024;
  const prologueWindow = options.prologueWindow ?? DEFAULT_PROLOGUE_WINDOW;
  const prefixes = [];
  const answers = [];
  let next = 0;
  return function findInsertion(html) {
    for (let i = 0; i < prefixes.length; i++) {
      if (html.startsWith(prefixes[i])) return answers[i];
    }
    const { at, read } = scanInsertionIndex(html, position, prologueWindow);
    if (read > 0 && read <= maxPrefix) {
      prefixes[next] = detached(html.slice(0, read));
      answers[next] = at;
      next = (next + 1) % size;
    }
    return at;
  };
}

// src/middleware/keep-outermost.ts
var NAMES = ["writeHead", "write", "end"];
var Kept = class {
  constructor(wrappers, home, own) {
    this.wrappers = wrappers;
    this.home = home;
    Object.assign(this.below, own);
  }
  wrappers;
  home;
  /** Set when the method was assigned since (or was the response's own): else it is what `home`'s prototype has. */
  below = {};
  lastRead = {};
  methodBelow(name, self) {
    return this.below[name] ?? Reflect.get(parentOf(this.home), name, self);
  }
  /** A read: its own function, so an assignment right after it can be put below ours. */
  read(name, self) {
    if (this.wrappers.passThrough) return this.methodBelow(name, self);
    const read = { below: void 0 };
    this.lastRead[name] = read;
    const wrappers = this.wrappers;
    return function outermost(...args) {
      return read.below === void 0 ? wrappers[name](args) : read.below.apply(this, args);
    };
  }
  /** An assignment: the new wrapper goes below ours, and the function it read leads to what was below before. */
  assign(name, self, value) {
    const read = this.lastRead[name];
    if (read !== void 0)
      read.below = this.below[name] ?? Reflect.get(parentOf(this.home), name, self);
    this.lastRead[name] = void 0;
    this.below[name] = value;
  }
};
function parentOf(home) {
  return home === null ? null : Object.getPrototypeOf(home);
}
var KEPT = /* @__PURE__ */ Symbol("tracklet kept");
var kept = {
  get: (o) => o[KEPT],
  has: (o) => o[KEPT] !== void 0,
  set: (o, k) => {
    o[KEPT] = k;
  }
};
function accessor(name, home) {
  return {
    configurable: true,
    enumerable: home === null,
    get() {
      const mine = kept.get(this);
      if (mine !== void 0) return mine.read(name, this);
      return home === null ? void 0 : Reflect.get(parentOf(home), name, this);
    },
    set(value) {
      const mine = kept.get(this);
      if (mine !== void 0) mine.assign(name, this, value);
      else Object.defineProperty(this, name, { value, writable: true, enumerable: true, configurable: true });
    }
  };
}
function sendMethod(home) {
  return function send(...args) {
    const inherited = Reflect.get(parentOf(home), "send", this);
    const mine = kept.get(this);
    return mine === void 0 ? inherited.apply(this, args) : mine.wrappers.send(inherited, args);
  };
}
var homes = /* @__PURE__ */ new WeakMap();
function homeOf(res) {
  const proto = Object.getPrototypeOf(res);
  if (proto === null) return null;
  const known = homes.get(proto);
  if (known !== void 0) return known ? proto : null;
  const fit = !Object.hasOwn(proto, "constructor") && Object.isExtensible(proto) && ![...NAMES, "send"].some((name) => Object.hasOwn(proto, name));
  homes.set(proto, fit);
  if (!fit) return null;
  for (const name of NAMES) Object.defineProperty(proto, name, accessor(name, proto));
  if (typeof Reflect.get(proto, "send") === "function") {
    Object.defineProperty(proto, "send", { configurable: true, writable: true, value: sendMethod(proto) });
  }
  return proto;
}
function isWrapped(res) {
  return kept.has(res);
}
function keepOutermost(res, wrappers) {
  const protoHome = homeOf(res);
  const home = protoHome !== null && NAMES.some((name) => Object.hasOwn(res, name)) ? null : protoHome;
  const own = {};
  if (home === null) for (const name of NAMES) own[name] = Reflect.get(res, name);
  const mine = new Kept(wrappers, home, own);
  kept.set(res, mine);
  if (home === null) {
    for (const name of NAMES) Object.defineProperty(res, name, accessor(name, null));
    const send = Reflect.get(res, "send");
    if (protoHome === null && typeof send === "function") {
      Reflect.set(res, "send", (...args) => wrappers.send(send, args));
    }
  }
  return (name, args) => mine.methodBelow(name, res).apply(res, args);
}

// src/html/encode-with-snippet.ts
var encoder = new TextEncoder();
function encodeWithSnippet(page, at, snippet) {
  return encodeParts([page.slice(0, at), snippet, page.slice(at)], page.length + snippet.length);
}
function byteLengthOf(parts, from) {
  let length = 0;
  for (let i = from; i < parts.length; i++) {
    const part = parts[i];
    length += typeof part === "string" ? Buffer.byteLength(part) : part.length;
  }
  return length;
}
function grown(out, filled, more) {
  const bigger = Buffer.allocUnsafe(filled + more);
  out.copy(bigger, 0, 0, filled);
  return bigger;
}
function encodeParts(parts, guess) {
  let out = Buffer.allocUnsafe(guess);
  let filled = 0;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (typeof part !== "string") {
      if (filled + part.length > out.length) out = grown(out, filled, byteLengthOf(parts, i));
      out.set(part, filled);
      filled += part.length;
      continue;
    }
    const { read, written } = encoder.encodeInto(part, filled === 0 ? out : out.subarray(filled));
    filled += written;
    if (read < part.length) {
      const rest = part.slice(read);
      out = grown(out, filled, Buffer.byteLength(rest) + byteLengthOf(parts, i + 1));
      filled += out.write(rest, filled, "utf8");
    }
  }
  return out;
}

// src/middleware/chunk-args.ts
function parseChunkCall(args) {
  const [first, second, third] = args;
  if (typeof first === "function")
    return { chunk: void 0, encoding: void 0, callback: first };
  if (typeof second === "function")
    return { chunk: first, encoding: void 0, callback: second };
  return {
    chunk: first,
    encoding: second,
    callback: typeof third === "function" ? third : void 0
  };
}
function toBuffer(chunk, encoding) {
  if (typeof chunk === "string") return Buffer.from(chunk, encoding ?? "utf8");
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  throw new TypeError("response chunk must be a string, Buffer or Uint8Array");
}

// src/middleware/header-args.ts
function parseWriteHead(args) {
  const status = Number(args[0]);
  if (typeof args[1] === "string") {
    return { status, reason: args[1], headers: args[2] };
  }
  return { status, reason: void 0, headers: args[1] };
}
function pairsOf(headers) {
  if (!Array.isArray(headers)) return Object.entries(headers);
  if (headers.length > 0 && Array.isArray(headers[0])) {
    return headers.map((pair) => [String(pair[0]), pair[1]]);
  }
  const pairs = [];
  for (let i = 0; i + 1 < headers.length; i += 2) pairs.push([String(headers[i]), headers[i + 1]]);
  return pairs;
}
function headerValue(res, headers, name) {
  let value;
  if (headers !== void 0 && headers !== null) {
    for (const [key, v] of pairsOf(headers)) if (v !== void 0 && key.toLowerCase() === name) value = v;
  }
  value ??= res.getHeader(name);
  if (value === void 0) return void 0;
  return Array.isArray(value) ? value.join(", ") : String(value);
}
function moveToResponse(res, headers) {
  const pairs = pairsOf(headers).filter(([, value]) => value !== void 0);
  if (!Array.isArray(headers)) {
    for (const [name, value] of pairs) res.setHeader(name, value);
    return;
  }
  for (const [name] of pairs) res.removeHeader(name);
  for (const [name, value] of pairs) res.appendHeader(name, value);
}

// src/middleware/should-inject.ts
var HTML_TYPES = /* @__PURE__ */ new Set(["text/html", "application/xhtml+xml"]);
var NO_TRANSFORM = /(?:^|,)\s*no-transform\s*(?:,|$)/i;
function injectableStatus(status, errorPages) {
  if (status >= 200 && status < 300) return status !== 204 && status !== 205 && status !== 206;
  return errorPages && status >= 400 && status < 600;
}
function isHtml(type) {
  if (type === void 0) return false;
  const semicolon = type.indexOf(";");
  const media = semicolon < 0 ? type : type.slice(0, semicolon);
  return HTML_TYPES.has(media.trim().toLowerCase());
}
function isIdentity(encoding) {
  const value = encoding.trim().toLowerCase();
  return value === "" || value === "identity";
}
function skipReason(method, status, header, errorPages) {
  if (!injectableStatus(status, errorPages)) return `status ${status}`;
  if (!isHtml(header("content-type"))) return "not HTML";
  const encoding = header("content-encoding");
  if (encoding !== void 0 && !isIdentity(encoding)) return "already encoded";
  const cacheControl = header("cache-control");
  if (cacheControl !== void 0 && NO_TRANSFORM.test(cacheControl)) return "Cache-Control: no-transform";
  if (header("content-range") !== void 0) return "partial content";
  if (method === "CONNECT") return "CONNECT";
  return null;
}

// src/middleware/validators.ts
import { createHash } from "crypto";
function snippetTag(snippetHtml, position) {
  return `-t${createHash("sha256").update(position).update("\0").update(snippetHtml).digest("base64url").slice(0, 10)}`;
}
var ETAG = /^(W\/)?"([^"]*)"$/;
function taggedEtag(etag, tag) {
  const match = ETAG.exec(etag.trim());
  if (!match) return void 0;
  return `W/"${match[2]}${tag}"`;
}
function untagIfNoneMatch(header, tag) {
  let changed = false;
  const parts = header.split(",").map((part) => {
    const match = ETAG.exec(part.trim());
    if (match?.[2]?.endsWith(tag)) {
      changed = true;
      return `W/"${match[2].slice(0, -tag.length)}"`;
    }
    return part.trim();
  });
  return changed ? parts.join(", ") : void 0;
}

// src/middleware/response-injection.ts
var HTML_UTF8 = "text/html; charset=utf-8";
function dropValidators(res) {
  res.removeHeader("etag");
  res.removeHeader("last-modified");
}
function spliced(page, at, snippet) {
  return Buffer.concat([page.subarray(0, at), snippet, page.subarray(at)]);
}
var ResponseInjection = class {
  req;
  res;
  config;
  /** The request's If-None-Match as received, when it was untagged (a 304 then carries the tagged ETag). */
  ifNoneMatch;
  /** Calls what sits below this response's wrapper of a method. */
  below;
  decided = false;
  ended = false;
  placed = false;
  /** A streamed body's injector, until the snippet is in (or known not to go in). */
  injector;
  /** The page was injected with a per-response nonce: the ETag express makes of it must not go out. */
  stripValidators = false;
  rendered;
  constructor(req, res, config, ifNoneMatch) {
    this.req = req;
    this.res = res;
    this.config = config;
    this.ifNoneMatch = ifNoneMatch;
    this.below = keepOutermost(res, this);
  }
  /** Decided, with nothing left to change: the response's methods are handed out unwrapped. */
  get passThrough() {
    return this.decided && this.injector === void 0 && !this.stripValidators && !this.ended;
  }
  /** The snippet for this response: with its nonce when it has one. */
  render() {
    const nonce = this.config.nonceOf(this.req, this.res);
    if (nonce === void 0) return this.config.plain;
    if (this.rendered?.nonce !== nonce) this.rendered = this.config.renderWith(nonce);
    return this.rendered;
  }
  /** The app places the snippet itself: returns it, and the page is left alone. */
  place() {
    this.placed = true;
    if (this.res.locals) this.res.locals.trackletSnippetPlaced = true;
    return this.render().html;
  }
  /** Why the response is left alone, or null to inject it. */
  whyLeftAlone(status, header) {
    const reason = skipReason(this.req.method, status, header, this.config.errorPages);
    if (reason !== null) return reason;
    if (this.placed || this.res.locals?.trackletSnippetPlaced === true) return "placed by the app";
    if (this.res.locals?.trackletNoSnippet === true) return "res.locals.trackletNoSnippet";
    if (this.config.skip?.(this.req, this.res)) return "skip()";
    return null;
  }
  /**
   * The decision, taken once when the headers are about to be written; `body` is the whole body when `end` got it
   * before anything was written. Returns the body to send instead, if any, and sets the headers to match it.
   * `writeHead`'s own headers are moved onto the response when they change (`call.headers` is then undefined).
   */
  decide(call, body) {
    this.decided = true;
    const { res, req } = this;
    const header = (name) => headerValue(res, call.headers, name);
    if (call.status === 304) {
      this.retagNotModified(call, header("etag"));
      return void 0;
    }
    if (this.whyLeftAlone(call.status, header) !== null) return void 0;
    const snippet = this.render();
    let page;
    if (req.method !== "HEAD" && body !== void 0) {
      const at = findInsertionPoint(body, this.config.position);
      if (at < 0) return void 0;
      page = spliced(body, at, snippet.bytes);
    } else if (req.method !== "HEAD") {
      this.injector = createHtmlInjector(snippet.bytes, { position: this.config.position });
    }
    if (call.headers !== void 0) {
      moveToResponse(res, call.headers);
      call.headers = void 0;
    }
    if (page !== void 0) res.setHeader("Content-Length", page.length);
    else res.removeHeader("content-length");
    this.retag(snippet.nonce);
    return page;
  }
  /** An ETag set upstream describes the page before injection: it goes out tagged with the snippet (or not at all). */
  retag(nonce) {
    const { res } = this;
    if (nonce !== void 0) {
      dropValidators(res);
      return;
    }
    const etag = headerValue(res, void 0, "etag");
    if (etag === void 0) return;
    const tagged = taggedEtag(etag, this.config.tag);
    if (tagged) res.setHeader("ETag", tagged);
    else res.removeHeader("etag");
  }
  /** A 304 answering an If-None-Match that was untagged carries the tagged ETag the browser holds. */
  retagNotModified(call, etag) {
    const tagged = this.ifNoneMatch !== void 0 && etag !== void 0 && taggedEtag(etag, this.config.tag);
    if (!tagged) return;
    if (call.headers !== void 0) moveToResponse(this.res, call.headers);
    call.headers = void 0;
    this.res.setHeader("ETag", tagged);
  }
  fail(error) {
    this.injector = void 0;
    this.config.onError(error, this.req);
  }
  writeHead(args) {
    const { res } = this;
    if (this.decided) {
      if (this.stripValidators) dropValidators(res);
      return this.below("writeHead", args);
    }
    const call = parseWriteHead(args);
    const given = call.headers;
    try {
      this.decide(call, void 0);
    } catch (error) {
      this.fail(error);
    }
    if (call.headers === given) return this.below("writeHead", args);
    return this.below("writeHead", call.reason === void 0 ? [args[0]] : [args[0], call.reason]);
  }
  write(args) {
    const { res } = this;
    if (this.ended) {
      const { callback: callback2 } = parseChunkCall(args);
      if (callback2) process.nextTick(callback2, new Error("write after end"));
      return false;
    }
    if (!this.decided) {
      if (res.headersSent) this.decided = true;
      else this.writeHead([res.statusCode]);
    }
    const injector = this.injector;
    if (injector === void 0) return this.below("write", args);
    const { chunk, encoding, callback } = parseChunkCall(args);
    let input;
    try {
      input = toBuffer(chunk, encoding);
    } catch (error) {
      this.fail(error);
      return this.below("write", args);
    }
    const out = this.pushed(injector, input);
    if (injector.outcome !== "pending") this.injector = void 0;
    return this.writeOut(out, callback);
  }
  end(args) {
    const { res } = this;
    if (this.ended) {
      const { callback: callback2 } = parseChunkCall(args);
      if (callback2) process.nextTick(callback2);
      return res;
    }
    this.ended = true;
    if (!this.decided && !res.headersSent) return this.endWhole(args);
    this.decided = true;
    const injector = this.injector;
    if (injector === void 0) return this.below("end", args);
    this.injector = void 0;
    const { chunk, encoding, callback } = parseChunkCall(args);
    const out = chunk === void 0 || chunk === null ? [] : this.pushed(injector, toBuffer(chunk, encoding));
    try {
      out.push(...injector.end());
    } catch (error) {
      this.fail(error);
      out.push(...injector.abort());
    }
    for (const buf of out) this.below("write", [buf]);
    return callback ? this.below("end", [callback]) : this.below("end", []);
  }
  /** `end(body)` before anything was written: the whole body is known when the headers are written. */
  endWhole(args) {
    const { res } = this;
    const { chunk, encoding, callback } = parseChunkCall(args);
    let page;
    try {
      const body = chunk === void 0 || chunk === null ? Buffer.alloc(0) : toBuffer(chunk, encoding);
      page = this.decide({ status: res.statusCode, reason: void 0, headers: void 0 }, body);
    } catch (error) {
      this.fail(error);
    }
    if (page === void 0) return this.below("end", args);
    return callback ? this.below("end", [page, callback]) : this.below("end", [page]);
  }
  /** What the injector gives for `input`; on a failure, the held-back bytes and `input` as they were. */
  pushed(injector, input) {
    try {
      return injector.push(input);
    } catch (error) {
      this.fail(error);
      return [...injector.abort(), input];
    }
  }
  writeOut(buffers, callback) {
    if (buffers.length === 0) {
      if (callback) process.nextTick(callback);
      return true;
    }
    let ok = true;
    const last = buffers.length - 1;
    for (let i = 0; i <= last; i++) {
      const args = i === last && callback ? [buffers[i], callback] : [buffers[i]];
      ok = this.below("write", args) && ok;
    }
    return ok;
  }
  /** express's `res.send`: a string page gets the snippet before express measures and hashes it. */
  send(send, args) {
    const { res } = this;
    const body = args[0];
    if (typeof body !== "string" || args.length !== 1 || this.decided) return send.apply(res, args);
    if (res.headersSent) return send.apply(res, args);
    const type = res.getHeader("content-type");
    if (type !== void 0 && String(type).toLowerCase() !== HTML_UTF8) {
      if (!isHtml(String(type))) this.decided = true;
      return send.apply(res, args);
    }
    let page;
    try {
      page = this.injectPage(body, type === void 0);
    } catch (error) {
      this.fail(error);
    }
    return send.apply(res, page === void 0 ? args : [page]);
  }
  /**
   * The page `res.send` is given, with the snippet, as the Buffer express would have made of it: express's own
   * Content-Length and ETag then describe the injected page, for HEAD as for GET. Undefined to leave it alone.
   */
  injectPage(body, untyped) {
    const { res, req } = this;
    this.decided = true;
    const header = (name) => name === "content-type" ? HTML_UTF8 : headerValue(res, void 0, name);
    if (this.whyLeftAlone(res.statusCode, header) !== null) return void 0;
    const at = this.config.findInsertion(body);
    if (at < 0) return void 0;
    const snippet = this.render();
    const page = encodeWithSnippet(body, at, snippet.bytes);
    if (untyped) res.setHeader("Content-Type", HTML_UTF8);
    if (snippet.nonce !== void 0) {
      this.stripValidators = true;
      dropValidators(res);
    } else if (res.hasHeader("etag")) {
      this.retag(void 0);
      if (this.ifNoneMatch !== void 0) req.headers["if-none-match"] = this.ifNoneMatch;
    }
    return page;
  }
};

// src/middleware/script-route.ts
import { createHash as createHash2 } from "crypto";
import { existsSync, readFileSync } from "fs";
import { brotliDecompressSync, gunzipSync } from "zlib";
import Negotiator from "negotiator";
var IMMUTABLE_CACHE = "public, max-age=31536000, immutable";
var SHORT_CACHE = "public, max-age=300";
var BOOTSTRAP_CACHE = "no-cache";
var CODINGS = ["br", "gzip"];
var AVAILABLE = [...CODINGS, "identity"];
var SIBLING = { br: ".br", gzip: ".gz" };
var DECODE = { br: brotliDecompressSync, gzip: gunzipSync };
var etagOf = (body, coding) => `"${createHash2("sha256").update(body).digest("base64url").slice(0, 27)}${coding ? `-${coding}` : ""}"`;
function loadAsset(asset) {
  const body = readFileSync(asset.file);
  const encoded = {};
  for (const coding of CODINGS) {
    const path = asset.file + SIBLING[coding];
    if (!existsSync(path)) continue;
    const compressed = readFileSync(path);
    let matches2 = false;
    try {
      matches2 = DECODE[coding](compressed).equals(body);
    } catch {
    }
    if (matches2) encoded[coding] = { body: compressed, etag: etagOf(body, coding) };
    else console.warn(`tracklet: ${path} does not hold ${asset.file}; serving it uncompressed instead`);
  }
  return {
    identity: { body, etag: etagOf(body) },
    encoded,
    cacheControl: asset.immutable ? IMMUTABLE_CACHE : SHORT_CACHE
  };
}
function matches(ifNoneMatch, etag) {
  return ifNoneMatch?.split(",").some((tag) => {
    const t = tag.trim();
    return t === "*" || t.replace(/^W\//, "") === etag;
  }) === true;
}
function createScriptRoute(scripts) {
  const served = /* @__PURE__ */ new Map();
  for (const [path, source] of scripts) {
    if (typeof source === "string" || Buffer.isBuffer(source)) {
      const body = typeof source === "string" ? Buffer.from(source, "utf8") : source;
      if (body.length > 0)
        served.set(path, {
          identity: { body, etag: etagOf(body) },
          encoded: {},
          cacheControl: BOOTSTRAP_CACHE
        });
    } else {
      served.set(path, loadAsset(source));
    }
  }
  return function serveScript(req, res) {
    if (served.size === 0 || req.method !== "GET" && req.method !== "HEAD") return false;
    const url = req.originalUrl ?? req.url ?? "";
    const query = url.indexOf("?");
    const script = served.get(query < 0 ? url : url.slice(0, query));
    if (script === void 0) return false;
    let coding;
    if (script.encoded.br || script.encoded.gzip) {
      const available = AVAILABLE.filter((c) => c === "identity" || script.encoded[c]);
      const negotiator = new Negotiator(req);
      const pick = negotiator.encoding;
      const chosen = pick.call(negotiator, available, { preferred: AVAILABLE });
      coding = chosen === "br" || chosen === "gzip" ? chosen : void 0;
      res.setHeader("Vary", "Accept-Encoding");
    }
    const representation = coding && script.encoded[coding] || script.identity;
    res.setHeader("Content-Type", "text/javascript; charset=utf-8");
    res.setHeader("Cache-Control", script.cacheControl);
    res.setHeader("ETag", representation.etag);
    res.setHeader("X-Content-Type-Options", "nosniff");
    if (matches(req.headers["if-none-match"], representation.etag)) {
      res.statusCode = 304;
      res.end();
      return true;
    }
    res.statusCode = 200;
    if (coding) res.setHeader("Content-Encoding", coding);
    res.setHeader("Content-Length", representation.body.length);
    res.end(req.method === "HEAD" ? void 0 : representation.body);
    return true;
  };
}

// src/middleware/analytics.ts
var INJECTION = /* @__PURE__ */ Symbol("tracklet injection");
var SNIPPET_LOCAL = {
  configurable: true,
  enumerable: true,
  get() {
    return this[INJECTION]?.render().html;
  }
};
function helmetNonce(_req, res) {
  const nonce = res.locals?.cspNonce;
  return typeof nonce === "string" ? nonce : void 0;
}
function defaultOnError() {
  const seen = /* @__PURE__ */ new Set();
  return (error) => {
    const kind = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    if (seen.has(kind) || seen.size > 100) return;
    seen.add(kind);
    console.error("tracklet: snippet injection failed, page sent unmodified:", error);
  };
}
function loadSnippet(config) {
  const loaded = loadConfig(typeof config === "string" ? { path: config } : config ?? {});
  for (const warning of loaded.warnings) console.warn(`tracklet: ${formatIssue(warning)}`);
  return loaded.settings.tool === null ? null : createSnippet(loaded.settings);
}
function analytics(options = {}) {
  const loaded = options.snippet ?? loadSnippet(options.config);
  if (loaded === null) {
    return (_req, _res, next) => next();
  }
  const snippet = loaded;
  const position = options.position ?? "head-end";
  const mode = options.inlineScripts ?? "inline";
  if (mode !== "inline" && mode !== "external")
    throw new TypeError(`inlineScripts must be "inline" or "external"`);
  const bootstrapPath = options.bootstrapPath ?? DEFAULT_BOOTSTRAP_PATH;
  if (!bootstrapPath.startsWith("/"))
    throw new TypeError(`bootstrapPath must start with "/": ${bootstrapPath}`);
  const htmlOptions = mode === "external" ? { mode, bootstrapPath } : { mode };
  const plainHtml = snippet.html(htmlOptions);
  const plain = { nonce: void 0, html: plainHtml, bytes: Buffer.from(plainHtml, "utf8") };
  const tag = snippetTag(plain.html, position);
  const scripts = /* @__PURE__ */ new Map();
  for (const asset of snippet.assets ?? []) scripts.set(asset.path, asset);
  if (mode === "external") scripts.set(bootstrapPath, snippet.bootstrapJs);
  const serveScript = scripts.size > 0 ? createScriptRoute(scripts) : void 0;
  const onError = options.onError ?? defaultOnError();
  const config = {
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
    onError
  };
  return function analyticsMiddleware(req, res, next) {
    if (isWrapped(res)) return next();
    try {
      if (serveScript?.(req, res)) return;
      const ifNoneMatch = req.headers["if-none-match"];
      const untagged = ifNoneMatch === void 0 ? void 0 : untagIfNoneMatch(ifNoneMatch, tag);
      if (untagged !== void 0) req.headers["if-none-match"] = untagged;
      const injection = new ResponseInjection(req, res, config, untagged && ifNoneMatch);
      let locals = res.locals;
      if (locals === void 0 || locals === null) {
        locals = {};
        res.locals = locals;
      }
      locals[INJECTION] = injection;
      Object.defineProperty(locals, "trackletSnippet", SNIPPET_LOCAL);
      locals.placeTrackletSnippet = () => injection.place();
    } catch (error) {
      onError(error, req);
    }
    next();
  };
}

// src/snippet/helper.ts
function snippetHelper(source, handlebars) {
  return (...args) => {
    const options = args[args.length - 1] ?? {};
    const snippet = typeof source === "function" ? source() : source;
    if (!snippet) return "";
    const hash = options.hash ?? {};
    const fromContext = options.data?.root?.cspNonce;
    const nonce = hash.nonce ?? (typeof fromContext === "string" ? fromContext : void 0);
    const htmlOptions = {};
    if (nonce !== void 0 && nonce !== null && nonce !== "") htmlOptions.nonce = String(nonce);
    if (hash.mode !== void 0) htmlOptions.mode = hash.mode;
    if (hash.bootstrapPath !== void 0) htmlOptions.bootstrapPath = String(hash.bootstrapPath);
    const html = snippet.html(htmlOptions);
    return handlebars ? new handlebars.SafeString(html) : html;
  };
}
function registerTrackletHelper(handlebars, snippet, name = "trackletSnippet") {
  handlebars.registerHelper(name, snippetHelper(snippet, handlebars));
}
export {
  ANALYTICS_MODES,
  ANALYTICS_TOOLS,
  ConfigError,
  FIRST_PARTY_TOOLS,
  OPTIONS,
  SNIPPET_MARKER,
  TRACKED_FEATURES,
  analytics,
  createHtmlInjector,
  createSnippet,
  formatSettings,
  injectHtml,
  loadConfig,
  maskSettings,
  parseConfig,
  registerTrackletHelper
};
//# sourceMappingURL=index.js.map