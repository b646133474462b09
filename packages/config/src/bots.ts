import { isbot } from "isbot";

// User agents repeat a lot; each is matched once while it stays in the cache (emptied when full: simple, and a
// re-match is cheap next to the request that carried it).
const CACHE_SIZE = 2000;
const cache = new Map<string, boolean>();

/**
 * True for crawlers, headless tools and requests without a user agent (the `isbot` package). The collector
 * counts their events and never stores them; the injector leaves their pages out of its document counts.
 */
export function isBotUserAgent(ua: string | undefined): boolean {
  if (!ua || ua.trim() === "") return true;
  const known = cache.get(ua);
  if (known !== undefined) return known;
  const bot = isbot(ua);
  if (cache.size >= CACHE_SIZE) cache.clear();
  cache.set(ua, bot);
  return bot;
}
