import { randomUUID } from "node:crypto";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import type { Tracker } from "./tracker.js";

type MaybePromise<T> = T | Promise<T>;

export interface RequestContextOptions {
  /** The signed-in user's id, or null. May be async. */
  getUser?: (req: Request) => MaybePromise<string | null | undefined>;
  /** The session id, or null. May be async. */
  getSession?: (req: Request) => MaybePromise<string | null | undefined>;
  /** Context name on the stack. Default `request`. */
  name?: string;
  /** Echo the request id in an `X-Request-Id` response header. Default true. */
  setResponseHeader?: boolean;
}

/** The context the middleware enters for each request. */
export interface RequestContext {
  path: string;
  method: string;
  user: string | null;
  session: string | null;
  request_id: string;
}

/** Accepted `X-Request-Id` values: short, printable, no spaces (anything else gets a fresh UUID). */
const REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/**
 * Express middleware entering a `request` context (path, method, user, session, request id) for the rest of
 * the request: `next()` runs inside `tracker.context`, so every event emitted by later middleware and route
 * handlers — including after `await` — carries it, and concurrent requests never see each other's.
 */
export function requestContext(tracker: Tracker, options: RequestContextOptions = {}): RequestHandler {
  const name = options.name ?? "request";
  const setHeader = options.setResponseHeader !== false;
  return (req: Request, res: Response, next: NextFunction): void => {
    const header = req.get("x-request-id");
    const requestId = header !== undefined && REQUEST_ID.test(header) ? header : randomUUID();
    if (setHeader && !res.headersSent) res.setHeader("X-Request-Id", requestId);
    const base = {
      // originalUrl, not path: inside a mounted router `req.path` is relative. The query string may hold
      // personal data and is left out.
      path: (req.originalUrl ?? req.url).split("?")[0] ?? "/",
      method: req.method,
      request_id: requestId,
    };
    const enter = (user: string | null | undefined, session: string | null | undefined): void => {
      const ctx: RequestContext = { ...base, user: user ?? null, session: session ?? null };
      tracker.context(name, ctx as unknown as Record<string, unknown>, () => next());
    };
    let user: MaybePromise<string | null | undefined>;
    let session: MaybePromise<string | null | undefined>;
    try {
      user = options.getUser?.(req);
      session = options.getSession?.(req);
    } catch (error) {
      next(error);
      return;
    }
    if (isPromise(user) || isPromise(session)) {
      Promise.all([user, session]).then(([u, s]) => enter(u, s), next);
    } else {
      enter(user, session);
    }
  };
}

function isPromise(value: unknown): value is Promise<unknown> {
  return typeof (value as Promise<unknown> | null)?.then === "function";
}
