import Bowser from "bowser";
import { isbot } from "isbot";

export interface UserAgentInfo {
  browser: string | null;
  os: string | null;
  /** `desktop` | `mobile` | `tablet` | `tv` | null. */
  device: string | null;
}

/** True for crawlers, headless tools and requests without a user agent (they are counted, never stored). */
export function isBotUserAgent(ua: string | undefined): boolean {
  if (!ua || ua.trim() === "") return true;
  let bot = botCache.get(ua);
  if (bot === undefined) {
    bot = isbot(ua);
    remember(botCache, ua, bot);
  }
  return bot;
}

// User agents repeat a lot; parsing each one once per process is most of the enrichment cost otherwise.
const CACHE_SIZE = 2000;
const botCache = new Map<string, boolean>();
const parseCache = new Map<string, Bowser.Parser.ParsedResult>();

function remember<V>(cache: Map<string, V>, key: string, value: V): void {
  if (cache.size >= CACHE_SIZE) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(key, value);
}

/**
 * Browser, OS and device class from the user agent (bowser). When the UA says nothing about the device,
 * the screen width the SDK sends (`sw`) decides: < 576 px mobile, < 992 px tablet, else desktop.
 */
export function parseUserAgent(ua: string, screenWidth?: number): UserAgentInfo {
  let parsed = parseCache.get(ua);
  if (!parsed) {
    parsed = Bowser.parse(ua);
    remember(parseCache, ua, parsed);
  }
  let device: string | null = parsed.platform.type ?? null;
  if (!device && screenWidth !== undefined && screenWidth > 0) {
    device = screenWidth < 576 ? "mobile" : screenWidth < 992 ? "tablet" : "desktop";
  }
  return {
    browser: parsed.browser.name || null,
    os: parsed.os.name || null,
    device,
  };
}
