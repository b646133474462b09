import type { Request } from "express";

/**
 * Who may read stats and the dashboard. Never public by default: with no option set, every request is refused.
 * - a function receiving the request (the app's own session/auth), returning true to allow;
 * - `{ token }`: `Authorization: Bearer <token>` (or `?token=` for the dashboard's links);
 * - `{ basic: { user, password } }`: HTTP Basic.
 */
export type AccessRule =
  | ((req: Request) => boolean | Promise<boolean>)
  | { token: string }
  | { basic: { user: string; password: string } };
