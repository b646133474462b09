/**
 * Parameter names masked by default: any name containing one of these (so `access_token`, `user_email`,
 * `api-key`, `passwd`, `sessionid` are masked too). Erring on the side of masking is deliberate.
 */
export const SENSITIVE_PARAM = /token|mail|pass|pwd|secret|key|auth|code|sess|sid/i;

import { WIRE_LIMITS } from "./wire.js";

/**
 * The URLs a tracker reports: a function giving, for `href` (absolute or relative to the page; the page's own
 * URL by default), the URL with every sensitive query value replaced by `*` (built-in names or one of `extra`),
 * the hash dropped unless `keepHash` (hash routing), where a query inside the hash (`#/r?token=…`,
 * `#access_token=…`) is masked too. Other bytes stay as they were, up to `WIRE_LIMITS.maxUrlLength` characters.
 */
export const urlTracker =
  (extra: string[], keepHash?: unknown) =>
  (href = location.href): string =>
    new URL(href, location.href).href
      // An empty search string matches at the start and replaces nothing.
      .replace(keepHash ? "" : /#.*/, "")
      .replace(/([?&#])([^=&#]+)=[^&#]*/g, (all, sep: string, key: string) =>
        SENSITIVE_PARAM.test(key) || extra.includes(key) ? `${sep + key}=*` : all,
      )
      .slice(0, WIRE_LIMITS.maxUrlLength);

/** The tracked form of `href`, as `urlTracker(extra, keepHash)` gives it. */
export const trackedUrl = (href: string, extra: string[], keepHash?: unknown): string =>
  urlTracker(extra, keepHash)(href);

/** Pageview filter on a path: matches an include pattern (when any) and no exclude pattern; `*` = anything. */
export const pathAllowed = (path: string, include: string[], exclude: string[]): boolean => {
  const match = (glob: string) =>
    RegExp(`^${glob.replace(/\W/g, "\\$&").replace(/\\\*/g, ".*")}$`).test(path);
  return !(include[0] && !include.some(match)) && !exclude.some(match);
};
