import { timingSafeEqual } from "node:crypto";
import type { CookieOptions, NextFunction, Request, RequestHandler, Response } from "express";
import { checkAccess } from "../http/auth.js";
import type { AccessRule } from "../http/auth-types.js";
import { renderMessagePage } from "./render.js";
import { securityHeaders } from "./security-headers.js";
import type { DashboardSessions, OpenSession } from "./sessions.js";

/** Cookie holding a browser's dashboard session id after it opened the dashboard once with the right `?token=`. */
export const DASHBOARD_COOKIE = "tracklet_dashboard";
const REALM = "tracklet dashboard";

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The dashboard session a request's cookie opened (set by `dashboardAuth` in `res.locals`). */
export function openSessionOf(res: Response): OpenSession | undefined {
  return res.locals.dashboardSession as OpenSession | undefined;
}

/** The value of cookie `name` in the request, if any. */
export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export interface DashboardAuthOptions {
  /** With a `{ token }` rule: where sign-ins are kept. Without it the token rule accepts no cookie. */
  sessions?: DashboardSessions | undefined;
  /** Path the cookie is scoped to; defaults to where the router is mounted. */
  cookiePath?: string | undefined;
  /** With a hook rule: send browsers that are not signed in here (with `?next=`) instead of a 401 page. */
  loginUrl?: string | undefined;
  /** Where an unexpected failure of the access check is reported. Default `console.error`. */
  onError?: ((message: string, error: unknown) => void) | undefined;
}

/** The current URL without its `token` parameter, same-origin only. */
function withoutToken(req: Request): string {
  const url = new URL(req.originalUrl, "http://dashboard.invalid");
  url.searchParams.delete("token");
  const target = `${url.pathname}${url.search}`;
  return target.startsWith("//") || target.startsWith("/\\") ? "/" : target;
}

/**
 * The session cookie: HttpOnly, SameSite=Strict, scoped to the dashboard, `Secure` when the request came over
 * HTTPS (`req.secure` follows Express's `trust proxy` setting for `X-Forwarded-Proto`).
 */
export function sessionCookie(req: Request, path: string, maxAgeMs: number): CookieOptions {
  return { httpOnly: true, sameSite: "strict", secure: req.secure, path, maxAge: maxAgeMs };
}

/**
 * Guards every dashboard route. Bearer/Basic/hook as the rule says; with `{ token }`, a browser may open any
 * dashboard URL once with `?token=`: it gets a new session in an HttpOnly, SameSite=Strict cookie and is
 * redirected to the same URL without the token. Anyone else gets a 401 (or the login redirect) and never data.
 */
export function dashboardAuth(
  rule: AccessRule | undefined,
  options: DashboardAuthOptions = {},
): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const tokenRule =
        rule && typeof rule === "object" && "token" in rule && rule.token !== "" ? rule.token : null;
      const cookiePath = options.cookiePath ?? (req.baseUrl || "/");
      if (tokenRule !== null) {
        const queryToken = req.query.token;
        if (typeof queryToken === "string") {
          if (sameSecret(queryToken, tokenRule) && options.sessions) {
            const id = await options.sessions.start();
            res.cookie(DASHBOARD_COOKIE, id, sessionCookie(req, cookiePath, options.sessions.maxAgeMs));
            res.set("Cache-Control", "no-store");
            res.redirect(303, withoutToken(req));
            return;
          }
          deny(req, res, rule, options);
          return;
        }
        const session = await options.sessions?.open(readCookie(req, DASHBOARD_COOKIE));
        if (session) {
          res.locals.dashboardSession = session;
          next();
          return;
        }
      }
      if (await checkAccess(rule, req)) {
        next();
        return;
      }
      deny(req, res, rule, options);
    } catch (error) {
      // Anything throwing here is a refusal, not a crash and not a way in.
      (options.onError ?? console.error)("tracklet dashboard: the access check failed", error);
      deny(req, res, rule, options);
    }
  };
}

function deny(
  req: Request,
  res: Response,
  rule: AccessRule | undefined,
  options: DashboardAuthOptions,
): void {
  const nonce = securityHeaders(res);
  if (typeof rule === "function" && options.loginUrl && req.method === "GET") {
    const sep = options.loginUrl.includes("?") ? "&" : "?";
    res.redirect(302, `${options.loginUrl}${sep}next=${encodeURIComponent(req.originalUrl)}`);
    return;
  }
  let hint: string;
  if (!rule) {
    hint =
      "This dashboard has no access rule configured, so it refuses every request. Pass `access` to createDashboardRouter.";
  } else if (typeof rule === "function") {
    hint = "Sign in to the application first.";
  } else if ("token" in rule) {
    res.set("WWW-Authenticate", `Bearer realm="${REALM}"`);
    hint =
      "Open this address once with ?token=<dashboard token> added (or send Authorization: Bearer <token>).";
  } else {
    res.set("WWW-Authenticate", `Basic realm="${REALM}", charset="UTF-8"`);
    hint = "Sign in with the dashboard user name and password.";
  }
  res.status(401);
  if (req.accepts(["html", "text"]) === "html" && !req.path.startsWith("/export/")) {
    res.type("html").send(renderMessagePage("Authentication required", nonce, [hint]));
  } else {
    res.type("text/plain").send(`Authentication required. ${hint}\n`);
  }
}
