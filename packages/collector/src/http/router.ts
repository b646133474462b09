import express, { type Request, type Response, type Router } from "express";
import type { DashboardFactory } from "../collector-options.js";
import type { CollectorSettings } from "../config/collector-config.js";
import { DASHBOARD_COOKIE, readCookie } from "../dashboard/access.js";
import { createDashboardRouter } from "../dashboard/router.js";
import { markNoSnippet } from "../dashboard/security-headers.js";
import { DashboardSessions } from "../dashboard/sessions.js";
import { withCoverage } from "../stats/with-coverage.js";
import { statsWithDestinations } from "../stats/with-destinations.js";
import type { EventStore } from "../store/types.js";
import { authChallenge, checkAccess } from "./auth.js";
import type { CollectHandler } from "./collect-handler.js";
import { HttpError, sendError } from "./errors.js";
import { parseStatsQuery } from "./parse-stats-query.js";

export interface CollectorRouterOptions {
  paths: { collect: string; stats: string; sites: string; dashboard: string; documents: string };
  handler: CollectHandler;
  /** `POST paths.documents`: the page counts of an injector in another process. */
  documents: (req: Request, res: Response) => Promise<void>;
  settings: CollectorSettings;
  store: EventStore;
  ready: Promise<void>;
  dashboard: DashboardFactory | boolean | undefined;
  mountPath: string;
  now: () => number;
  onError: (message: string, err?: unknown) => void;
}

/** The collector's Express router: the collect endpoint, the stats API and (optionally) the dashboard. */
export function createCollectorRouter(options: CollectorRouterOptions): Router {
  const { paths, handler, settings, store, mountPath } = options;
  const router = express.Router();
  router.options(paths.collect, handler.preflight);
  router.post(paths.collect, (req: Request, res: Response) =>
    handler.collect(req, res, req.ip ?? req.socket.remoteAddress ?? "", req),
  );
  router.post(paths.documents, (req: Request, res: Response) => {
    markNoSnippet(res);
    void options.documents(req, res);
  });
  const guarded = guardedRoute(options);
  router.get(
    paths.stats,
    guarded(async (req, res) => {
      const query = parseStatsQuery(req.query as Record<string, unknown>, {
        now: options.now(),
        searchEvents: settings.searchEvents,
      });
      const { goals, funnels } = settings;
      const withConversions = { ...query, goals, funnels };
      res.json(await withCoverage(store, query, statsWithDestinations(store, withConversions)));
    }),
  );
  router.get(
    paths.sites,
    guarded(async (_req, res) => {
      res.json({ sites: await store.sites() });
    }),
  );
  if (options.dashboard) {
    // Without an access rule the dashboard still mounts; it answers 401 to everyone.
    const factory = options.dashboard === true ? createDashboardRouter : options.dashboard;
    router.use(
      paths.dashboard,
      factory({
        stats: store,
        access: settings.access,
        basePath: `${mountPath}${paths.dashboard}`,
        statsApiPath: `${mountPath}${paths.stats}`,
        searchEvents: settings.searchEvents,
        goals: settings.goals,
        funnels: settings.funnels,
        defaultSite: settings.defaultSite,
        cookiePath: mountPath || "/",
      }),
    );
  }
  return router;
}

/**
 * With a token rule, a browser signed in to the dashboard may read the stats API too (its own "stats API" link),
 * with GET only: the session cookie is SameSite=Strict and nothing read changes anything.
 */
function dashboardSessionCheck(options: CollectorRouterOptions): (req: Request) => Promise<boolean> {
  const rule = options.settings.access;
  if (!rule || typeof rule !== "object" || !("token" in rule) || rule.token === "") return async () => false;
  const sessions = new DashboardSessions(options.store, rule.token, {}, options.now);
  return async (req) => {
    if (req.method !== "GET" && req.method !== "HEAD") return false;
    try {
      await options.ready;
      return (await sessions.open(readCookie(req, DASHBOARD_COOKIE))) !== null;
    } catch {
      return false;
    }
  };
}

/** Wraps a stats route: access check, no caching, waits for the store, JSON errors. */
function guardedRoute(options: CollectorRouterOptions) {
  const { settings, ready, onError } = options;
  const signedIn = dashboardSessionCheck(options);
  return (handler: (req: Request, res: Response) => Promise<void>) => async (req: Request, res: Response) => {
    res.setHeader("X-Content-Type-Options", "nosniff");
    markNoSnippet(res);
    try {
      if (!(await checkAccess(settings.access, req)) && !(await signedIn(req))) {
        res.setHeader("WWW-Authenticate", authChallenge(settings.access));
        sendError(res, new HttpError(401, "unauthorized", "Authentication required."));
        return;
      }
      res.setHeader("Cache-Control", "private, no-store");
      try {
        await ready;
      } catch {
        sendError(res, new HttpError(503, "internal", "The store is unavailable."));
        return;
      }
      await handler(req, res);
    } catch (err) {
      if (err instanceof HttpError) sendError(res, err);
      else {
        onError("stats query failed", err);
        sendError(res, new HttpError(500, "internal", "The stats query failed."));
      }
    }
  };
}
