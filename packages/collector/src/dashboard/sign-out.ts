import express, { type Request, type RequestHandler } from "express";
import { DASHBOARD_COOKIE, readCookie, sessionCookie } from "./access.js";
import { renderMessagePage } from "./render.js";
import { securityHeaders } from "./security-headers.js";
import type { DashboardSessions } from "./sessions.js";

const REFUSED =
  "This sign-out request did not come from this dashboard's own page, or the session has already ended.";

export interface SignOutOptions {
  /** The dashboard's public path without trailing slash, for the redirect home. */
  basePathOf: (req: Request) => string;
  /** The session cookie's path, to clear it. */
  cookiePathOf: (req: Request) => string;
  onError: (message: string, error: unknown) => void;
}

/** False when the browser says the request came from another origin (`Origin` is absent on some same-origin POSTs). */
function sameOrigin(req: Request): boolean {
  const origin = req.get("origin");
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === req.get("host");
  } catch {
    return false;
  }
}

/**
 * `POST /logout`: ends the cookie's session and clears the cookie. CSRF-safe: a link or an image cannot POST, the
 * form must carry the page's token (bound to the session id, which only the HttpOnly, SameSite=Strict cookie
 * holds), and a request whose `Origin` is another site is refused outright.
 */
export function signOutHandlers(sessions: DashboardSessions, options: SignOutOptions): RequestHandler[] {
  const handler: RequestHandler = async (req, res) => {
    const nonce = securityHeaders(res);
    const home = `${options.basePathOf(req)}/`;
    const logoutToken = typeof req.body?.logout === "string" ? req.body.logout : "";
    try {
      if (!sameOrigin(req) || !(await sessions.end(readCookie(req, DASHBOARD_COOKIE), logoutToken))) {
        res
          .status(403)
          .type("html")
          .send(renderMessagePage("Not signed out", nonce, [REFUSED], home));
        return;
      }
      res.clearCookie(DASHBOARD_COOKIE, sessionCookie(req, options.cookiePathOf(req), 0));
      res.redirect(303, home);
    } catch (error) {
      options.onError("tracklet dashboard: signing out failed", error);
      res.status(500).type("text/plain").send("Signing out failed; the collector's log has the details.\n");
    }
  };
  return [express.urlencoded({ extended: false, limit: "2kb" }), handler];
}
