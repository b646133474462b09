import type { IncomingMessage, ServerResponse } from "node:http";
import type { WirePageview } from "@tracklet/browser-sdk/wire";
import type { Request } from "express";
import type { CollectedEvent } from "../destinations/types.js";
import { createClientKey } from "../pipeline/client-key.js";
import type { DailySalt } from "../pipeline/daily-salt.js";
import { enrichEvents } from "../pipeline/enrich.js";
import { primaryLocale } from "../pipeline/locale.js";
import type { Pipeline } from "../pipeline/pipeline.js";
import type { SiteGate } from "../pipeline/site-gate.js";
import { isBotUserAgent } from "../pipeline/user-agent.js";
import { checkContentType, eventFieldPath, parseWireRequest, type WireLimits } from "../pipeline/validate.js";
import { readBodyText } from "./body.js";
import { applyCors, type CorsSetting } from "./cors.js";
import { HttpError, sendError } from "./errors.js";
import { RateLimiter, type RateLimitOptions } from "./rate-limit.js";

export interface CollectHandlerOptions {
  pipeline: Pipeline;
  salt: DailySalt;
  cors: CorsSetting;
  rateLimit: RateLimitOptions | false;
  maxBodyBytes: number;
  /** Milliseconds a request may take to send its body before it is answered 408 and its connection closed. */
  bodyTimeoutMs: number;
  limits: WireLimits;
  sites: SiteGate;
  /** `analytics_disabled`: answer 204 without reading the body. */
  disabled: boolean;
  getUser: ((req: Request) => unknown) | undefined;
  now: () => number;
  onError: (message: string, err?: unknown) => void;
}

/** Counts of `/collect` requests, for `collector.metrics()`. */
export interface CollectCounts {
  requests: number;
  rejected: number;
  rateLimited: number;
  bot: number;
}

export interface CollectHandler {
  /** `POST /collect`. `appReq` is the Express request `getUser` receives (null when served without Express). */
  collect(req: IncomingMessage, res: ServerResponse, ip: string, appReq: Request | null): Promise<void>;
  /** `OPTIONS /collect`. */
  preflight(req: IncomingMessage, res: ServerResponse): void;
  readonly counts: CollectCounts;
}

const CLOSE = { Connection: "close" };
const notAllowed = () => new HttpError(403, "origin_not_allowed", "This origin may not send events here.");

function answer(res: ServerResponse, status: number): void {
  res.statusCode = status;
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.end();
}

/**
 * The collect endpoint in plain Node calls, shared by the Express route and the request listener: CORS, the
 * global switch, rate limit, body, validation, bots, enrichment, then the pipeline (503 when it is full).
 */
export function createCollectHandler(options: CollectHandlerOptions): CollectHandler {
  const { pipeline, salt, now } = options;
  const limiter = options.rateLimit === false ? null : new RateLimiter(options.rateLimit, now);
  // Rate-limit keys are keyed IP hashes with per-process random seeds: no raw IP is kept even in memory.
  const clientKey = createClientKey();
  const counts: CollectCounts = { requests: 0, rejected: 0, rateLimited: 0, bot: 0 };
  const reject = (res: ServerResponse, err: HttpError, headers?: Record<string, string>) => {
    counts.rejected++;
    sendError(res, err, headers);
  };

  /** Everything before the body: false when the request was answered already. */
  const admit = (req: IncomingMessage, res: ServerResponse, ip: string): boolean => {
    if (!applyCors(req, res, options.cors)) {
      req.resume();
      reject(res, notAllowed());
      return false;
    }
    if (options.disabled) {
      req.resume();
      answer(res, 204);
      return false;
    }
    const wait = limiter ? limiter.take(clientKey(ip)) : 0;
    if (wait > 0) {
      counts.rateLimited++;
      req.resume();
      const err = new HttpError(429, "rate_limited", "Too many requests from this client; retry later.");
      reject(res, err, { "Retry-After": String(wait) });
      return false;
    }
    return true;
  };

  const collect = async (req: IncomingMessage, res: ServerResponse, ip: string, appReq: Request | null) => {
    counts.requests++;
    try {
      if (!admit(req, res, ip)) return;
      checkContentType(req.headers["content-type"]);
      const text = await readBodyText(req, options.maxBodyBytes, options.bodyTimeoutMs);
      const { events, batch } = parseWireRequest(text, options.limits);
      const userAgent = req.headers["user-agent"] ?? "";
      if (isBotUserAgent(userAgent)) {
        counts.bot += events.length;
        return answer(res, 202);
      }
      if (!options.sites.loaded) await options.sites.load();
      const refused = options.sites.check(
        events.map((e) => e.site),
        (i) => eventFieldPath(batch, i, "site"),
      );
      if (refused) return reject(res, refused);
      // Once per request, and without awaiting in the common case (salt known, no getUser).
      const userId = options.getUser && appReq ? await resolveUser(options.getUser, appReq) : null;
      const todaySalt = salt.cachedNow() ?? (await salt.current());
      const rows = enrichEvents(events, { ip, userAgent, userId, now: now(), salt: todaySalt });
      const locale = primaryLocale(req.headers["accept-language"]);
      const collected = rows.map(
        (row, i): CollectedEvent => ({
          row,
          userAgent,
          locale,
          firstView: (events[i] as WirePageview).first === true,
        }),
      );
      if (!pipeline.accept(collected)) {
        const err = new HttpError(503, "queue_full", "The collector is busy; retry shortly.");
        return reject(res, err, { "Retry-After": "1" });
      }
      answer(res, 202);
    } catch (err) {
      // A client too slow to send its body does not get to keep the connection.
      if (err instanceof HttpError) return reject(res, err, err.status === 408 ? CLOSE : undefined);
      options.onError("unexpected error while collecting", err);
      sendError(res, new HttpError(500, "internal", "The collector failed to process the request."));
    }
  };

  const preflight = (req: IncomingMessage, res: ServerResponse) => {
    if (!applyCors(req, res, options.cors, true)) return sendError(res, notAllowed());
    answer(res, 204);
  };

  return { collect, preflight, counts };
}

async function resolveUser(getUser: (req: Request) => unknown, req: Request): Promise<string | null> {
  try {
    const user = await getUser(req);
    return typeof user === "string" && user !== "" ? user.slice(0, 256) : null;
  } catch {
    // The app's auth failing must not lose the event; it is stored as anonymous.
    return null;
  }
}
