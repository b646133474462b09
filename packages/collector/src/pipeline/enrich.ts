import type { WireEvent } from "@tracklet/browser-sdk/wire";
import type { StoredEvent } from "../store/types.js";
import { BoundedCache } from "./bounded-cache.js";
import { createClientKey } from "./client-key.js";
import { visitorId } from "./identity.js";
import { referrerSource, utmParams } from "./referrer-source.js";
import { parseUserAgent, type UserAgentInfo } from "./user-agent.js";

export { referrerSource, utmParams } from "./referrer-source.js";
export { isBotUserAgent, parseUserAgent } from "./user-agent.js";

/** What the collector knows about the request that carried the events. */
export interface RequestContext {
  /** Client IP (express `req.ip`, honouring `trust proxy`); hashed, never stored. */
  ip: string;
  userAgent: string;
  /** The signed-in user from the app's `getUser(req)`, if any. */
  userId: string | null;
  /** Receive time, epoch ms. */
  now: number;
  /** Today's visitor-hash salt. */
  salt: string;
}

/**
 * Path used by the page reports: the URL path, plus the fragment for hash-routed apps (`/#/settings`).
 */
export function pagePath(url: string | URL): string | null {
  try {
    const u = typeof url === "string" ? new URL(url) : url;
    return u.hash.startsWith("#/") ? `${u.pathname}${u.hash}` : u.pathname;
  } catch {
    return null;
  }
}

/** What the reports need from a page URL; null when it does not parse. */
interface PageFacts {
  url: URL;
  path: string | null;
  utm: { source: string | null; medium: string | null; campaign: string | null };
}

// Pages and referrers repeat a lot: each distinct one is parsed once while it stays in the cache.
const pageCache = new BoundedCache<string, PageFacts | null>(2000);
const sourceCache = new BoundedCache<string, string | null>(2000);

// A client sends many requests a day: its visitor id (a SHA-256) is computed once per salt while it stays in the
// cache. Keyed by a keyed hash of the IP (a number: cheap to look up), never the IP itself; each key holds the few
// site and user-agent pairs seen behind that IP. Emptied when the salt rotates.
interface KnownVisitor {
  site: string;
  userAgent: string;
  id: string;
}
/** Pairs kept per IP: a shared NAT address may carry many user agents; beyond this the oldest is recomputed. */
const VISITORS_PER_IP = 8;
const visitorCache = new BoundedCache<number, KnownVisitor[]>(10_000);
const ipKey = createClientKey();
let visitorCacheSalt: string | undefined;
const newList = (): KnownVisitor[] => [];

function cachedVisitorId(salt: string, site: string, ip: string, userAgent: string): string {
  if (salt !== visitorCacheSalt) {
    visitorCache.clear();
    visitorCacheSalt = salt;
  }
  const known = visitorCache.get(ipKey(ip), newList);
  for (const v of known) if (v.site === site && v.userAgent === userAgent) return v.id;
  const id = visitorId(salt, site, ip, userAgent);
  if (known.length >= VISITORS_PER_IP) known.shift();
  known.push({ site, userAgent, id });
  return id;
}

function pageFacts(href: string): PageFacts | null {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return null;
  }
  return { url, path: pagePath(url), utm: utmParams(url) };
}

function cachedReferrerSource(referrer: string | undefined, page: PageFacts): string | null {
  if (!referrer) return null;
  // The source depends on the page's host too (a referrer on the page's own host is internal).
  return sourceCache.get(`${page.url.host}\n${referrer}`, () => referrerSource(referrer, page.url));
}

/**
 * Turns validated wire events into rows: user agent → browser/OS/device, referrer → source, UTM from the URL,
 * visitor hash from salt + site + IP + UA. Session ids are assigned later, at write time (`SessionResolver`).
 */
export function enrichEvents(events: WireEvent[], ctx: RequestContext): StoredEvent[] {
  // A request's events nearly always share their site and screen width: the last answers are kept.
  let site: string | undefined;
  let visitor = "";
  let screenWidth: number | undefined;
  let agent: UserAgentInfo | undefined;
  return events.map((e): StoredEvent => {
    if (e.site !== site) {
      site = e.site;
      visitor = cachedVisitorId(ctx.salt, site, ctx.ip, ctx.userAgent);
    }
    if (agent === undefined || e.sw !== screenWidth) {
      screenWidth = e.sw;
      agent = parseUserAgent(ctx.userAgent, screenWidth);
    }
    const page = pageCache.get(e.url, pageFacts);
    return {
      site: e.site,
      type: e.type,
      name: e.type === "event" ? e.name : null,
      ts: ctx.now,
      clientTs: e.ts === undefined ? null : Math.round(e.ts),
      url: e.url,
      path: page ? page.path : null,
      title: e.title ?? null,
      referrer: e.referrer ?? null,
      referrerSource: page ? cachedReferrerSource(e.referrer, page) : null,
      utmSource: page ? page.utm.source : null,
      utmMedium: page ? page.utm.medium : null,
      utmCampaign: page ? page.utm.campaign : null,
      visitorId: visitor,
      sessionId: "",
      userId: ctx.userId,
      browser: agent.browser,
      os: agent.os,
      device: agent.device,
      engagedMs: e.type === "engagement" ? Math.round(e.engagedMs) : null,
      props: e.props ?? null,
    };
  });
}
