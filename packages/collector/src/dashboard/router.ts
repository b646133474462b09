import express, { type Request, type Response, type Router } from "express";
import type { AccessRule } from "../http/auth-types.js";
import type { FunnelDefinition, GoalDefinition, StatsResult, StatsSource } from "../stats/types.js";
import { withCoverage } from "../stats/with-coverage.js";
import { statsWithDestinations } from "../stats/with-destinations.js";
import { MemorySessionStore } from "../store/memory-sessions.js";
import type { DashboardSessionStore } from "../store/types.js";
import { dashboardAuth, openSessionOf } from "./access.js";
import { toCsv } from "./csv.js";
import { renderDashboardPage, renderMessagePage } from "./render.js";
import { securityHeaders } from "./security-headers.js";
import { DashboardSessions, type SessionTimes } from "./sessions.js";
import { signOutHandlers } from "./sign-out.js";
import { type DashboardState, parseDashboardState, previousPeriod, toStatsQuery } from "./state.js";
import { findTable } from "./tables.js";

export interface DashboardOptions {
  /** Where the numbers come from: any store (`EventStore` extends `StatsSource`). */
  stats: StatsSource;
  /**
   * Who may see the dashboard. Without a rule every request gets a 401: the dashboard is never public by
   * default. With `{ token }`, open the dashboard once with `?token=…` to get a cookie; `{ basic }` uses the
   * browser's sign-in prompt; a function receives the request and decides (the app's own session).
   */
  access?: AccessRule | undefined;
  /**
   * Public path the router is mounted under, for links and the cookie path (`/tracklet`). Defaults to the
   * mount path Express reports; set it when a proxy rewrites paths.
   */
  basePath?: string | undefined;
  /**
   * Path the sign-in cookie is scoped to. Default: `basePath`. The collector sets its own mount path, so that its
   * stats API, beside the dashboard, receives the cookie too.
   */
  cookiePath?: string | undefined;
  /** Event names counted as site searches (their `query`/`q`/`term` prop is the term). Default `["search"]`. */
  searchEvents?: string[] | undefined;
  /** Goals shown with their conversions (default none). */
  goals?: GoalDefinition[] | undefined;
  /** Funnels shown as step charts (default none). */
  funnels?: FunnelDefinition[] | undefined;
  /**
   * Site shown when the URL names none. Default: the site with the most pageviews in the last 30 days (never the
   * first by name, which anyone able to post an event could choose).
   */
  defaultSite?: string | undefined;
  /** Page heading. Default `tracklet`. */
  title?: string | undefined;
  /** Time zone used when the URL has no `tz`. Default `UTC`. */
  timezone?: string | undefined;
  /** Rows per table when the URL has no `limit` (1–100). Default 10. */
  limit?: number | undefined;
  /** Path of the JSON stats API the page links to; `false` leaves the link out. Default `<basePath>/api/stats`. */
  statsApiPath?: string | false | undefined;
  /**
   * Where token sign-ins are kept. Default: the `stats` source when it is a store (sessions then hold across
   * restarts and across collectors sharing PostgreSQL), else this process's memory.
   */
  sessions?: DashboardSessionStore | undefined;
  /** Lifetime of a token sign-in: absolute (at most 30 days, default 7) and idle (default 24 hours). */
  session?: SessionTimes | undefined;
  /** With a hook rule, redirect signed-out browsers here (`?next=` appended) instead of answering 401. */
  loginUrl?: string | undefined;
  /** Clock for "today" and the presets (tests pin it). */
  now?: (() => Date) | undefined;
  /** Where failures (a throwing store or access hook) are reported. Default `console.error`. */
  onError?: ((message: string, error: unknown) => void) | undefined;
}

const DEFAULT_SEARCH_EVENTS = ["search"];
/** Sites offered in the picker, busiest first: junk site ids cannot make every page heavy. */
export const SITE_PICKER_SIZE = 50;

function trimSlash(path: string): string {
  return path.replace(/\/+$/, "");
}

/**
 * The KPI dashboard as an Express router: `GET /` renders the page for `?site=&from=&to=&interval=&tz=&compare=1`
 * (or `range=today|7d|30d`), `GET /export/<table>.csv` downloads any of its tables with the same parameters.
 * Every route sits behind `access`; paths it does not know fall through to the next handler untouched.
 */
export function createDashboardRouter(options: DashboardOptions): Router {
  const router = express.Router();
  const title = options.title ?? "tracklet";
  const searchEvents = options.searchEvents ?? DEFAULT_SEARCH_EVENTS;
  const conversions = { goals: options.goals ?? [], funnels: options.funnels ?? [] };
  const defaultTimezone = options.timezone ?? "UTC";
  const defaultLimit = options.limit ?? 10;
  if (!Number.isInteger(defaultLimit) || defaultLimit < 1 || defaultLimit > 100) {
    throw new RangeError(
      `createDashboardRouter: limit must be a whole number from 1 to 100, got ${defaultLimit}`,
    );
  }
  const now = options.now ?? (() => new Date());
  const basePathOf = (req: Request) => trimSlash(options.basePath ?? req.baseUrl);
  const onError = options.onError ?? ((message: string, error: unknown) => console.error(message, error));
  const cookiePath = options.cookiePath ?? options.basePath;
  const cookiePathOf = (req: Request) => (cookiePath ? trimSlash(cookiePath) || "/" : req.baseUrl || "/");
  const sessions = sessionsFor(options);
  const auth = dashboardAuth(options.access, {
    onError,
    sessions,
    cookiePath: cookiePath ? trimSlash(cookiePath) || "/" : undefined,
    loginUrl: options.loginUrl,
  });

  /** Parses the URL state, or answers 400 saying which parameter is wrong. */
  function stateOr400(req: Request, res: Response, nonce: string, html: boolean): DashboardState | null {
    const parsed = parseDashboardState(req.query as Record<string, unknown>, {
      timezone: defaultTimezone,
      limit: defaultLimit,
      now: now(),
    });
    if (parsed.ok) return parsed.state;
    res.status(400);
    if (html) {
      res
        .type("html")
        .send(renderMessagePage("Bad dashboard address", nonce, parsed.errors, `${basePathOf(req)}/`));
    } else {
      res.type("text/plain").send(`${parsed.errors.join("\n")}\n`);
    }
    return null;
  }

  async function load(state: DashboardState, site: string) {
    const query = toStatsQuery(state, site, searchEvents, conversions);
    const current = withCoverage(options.stats, query, statsWithDestinations(options.stats, query));
    // The goals carry their own previous-period figures: the compared period needs none.
    const previous: Promise<StatsResult | null> = state.compare
      ? options.stats.stats(toStatsQuery(previousPeriod(state), site, searchEvents))
      : Promise.resolve(null);
    return { result: await current, previous: await previous };
  }

  function failed(res: Response, nonce: string, error: unknown, html: boolean) {
    onError("tracklet dashboard: stats query failed", error);
    res.status(500);
    const line = "The stats query failed; the collector's log has the details.";
    if (html) res.type("html").send(renderMessagePage("Dashboard unavailable", nonce, [line]));
    else res.type("text/plain").send(`${line}\n`);
  }

  router.get("/", auth, async (req, res) => {
    const nonce = securityHeaders(res);
    const state = stateOr400(req, res, nonce, true);
    if (!state) return;
    try {
      const sites = (await options.stats.topSites(SITE_PICKER_SIZE)).map((s) => s.site);
      const site = state.site ?? options.defaultSite ?? sites[0] ?? null;
      const { result, previous } = site === null ? { result: null, previous: null } : await load(state, site);
      const basePath = basePathOf(req);
      const api = options.statsApiPath === false ? null : (options.statsApiPath ?? `${basePath}/api/stats`);
      const statsApiHref = api && result ? statsApiLink(api, result, state, searchEvents) : null;
      const logoutToken = openSessionOf(res)?.logoutToken ?? null;
      const view = {
        title,
        basePath,
        state,
        site,
        sites,
        result,
        previous,
        statsApiHref,
        nonce,
        logoutToken,
      };
      res.type("html").send(renderDashboardPage(view));
    } catch (error) {
      failed(res, nonce, error, true);
    }
  });

  router.get("/export/:file", auth, async (req, res, next) => {
    const match = /^([a-z-]+)\.csv$/.exec(String(req.params.file));
    const table = match?.[1] ? findTable(match[1]) : undefined;
    if (!table) {
      next();
      return;
    }
    const nonce = securityHeaders(res);
    const state = stateOr400(req, res, nonce, false);
    if (!state) return;
    try {
      const site =
        state.site ?? options.defaultSite ?? (await options.stats.topSites(1)).map((s) => s.site)[0];
      if (site === undefined) {
        res.status(404).type("text/plain").send("No site has data yet.\n");
        return;
      }
      const query = toStatsQuery(state, site, searchEvents, conversions);
      const result = await withCoverage(options.stats, query, options.stats.stats(query));
      const csv = toCsv(
        table.columns.map((c) => c.label),
        table.rows(result),
      );
      const name = `${site}-${table.id}-${state.from}-${state.to}.csv`.replace(/[^A-Za-z0-9._-]+/g, "_");
      res.set("Content-Disposition", `attachment; filename="${name}"`);
      res.type("text/csv; charset=utf-8; header=present").send(csv);
    } catch (error) {
      failed(res, nonce, error, false);
    }
  });

  if (sessions) router.post("/logout", ...signOutHandlers(sessions, { basePathOf, cookiePathOf, onError }));

  return router;
}

function isSessionStore(source: StatsSource): source is StatsSource & DashboardSessionStore {
  const s = source as Partial<DashboardSessionStore>;
  return typeof s.createSession === "function" && typeof s.pruneSessions === "function";
}

/** Token sign-ins, kept in the `sessions` option, the stats store, or this process's memory; none without a token. */
function sessionsFor(options: DashboardOptions): DashboardSessions | undefined {
  const rule = options.access;
  if (!rule || typeof rule !== "object" || !("token" in rule) || rule.token === "") return undefined;
  const store =
    options.sessions ?? (isSessionStore(options.stats) ? options.stats : new MemorySessionStore());
  const now = options.now;
  return new DashboardSessions(store, rule.token, options.session, now ? () => now().getTime() : Date.now);
}

/** The stats API address answering with the same data as the page. */
function statsApiLink(
  api: string,
  result: StatsResult,
  state: DashboardState,
  searchEvents: string[],
): string {
  const q = new URLSearchParams({
    site: result.site,
    from: result.from,
    to: result.to,
    interval: state.interval,
    tz: state.timezone,
    limit: String(state.limit),
    search: searchEvents.join(","),
  });
  return `${api}?${q}`;
}
