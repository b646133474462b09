/**
 * Parameter names masked by default: any name containing one of these (so `access_token`, `user_email`,
 * `api-key`, `passwd`, `sessionid` are masked too). Erring on the side of masking is deliberate.
 */
export const SENSITIVE_PARAM = /token|mail|pass|pwd|secret|key|auth|code|sess|sid/i;

import { WIRE_LIMITS } from "./wire.js";

/**
 * The URL a tracker reports for `href` (absolute or relative to the page): every sensitive query value
 * replaced by `*` (built-in names or one of `extra`), the hash dropped unless `keepHash` (hash routing),
 * where a query inside the hash (`#/r?token=…`, `#access_token=…`) is masked too. Other bytes stay as they were,
 * up to `WIRE_LIMITS.maxUrlLength` characters.
 */
export const trackedUrl = (href: string, extra: string[], keepHash?: unknown): string =>
  new URL(href, location.href).href
    .replace(keepHash ? /$^/ : /#.*/, "")
    .replace(/([?&#])([^=&#]+)=[^&#]*/g, (all, sep: string, key: string) =>
      SENSITIVE_PARAM.test(key) || extra.includes(key) ? `${sep + key}=*` : all,
    )
    .slice(0, WIRE_LIMITS.maxUrlLength);

/** Pageview filter on a path: matches an include pattern (when any) and no exclude pattern; `*` = anything. */
export const pathAllowed = (path: string, include: string[], exclude: string[]): boolean => {
  const match = (glob: string) =>
    RegExp(`^${glob.replace(/\W/g, "\\$&").replace(/\\\*/g, ".*")}$`).test(path);
  return !(include[0] && !include.some(match)) && !exclude.some(match);
};
