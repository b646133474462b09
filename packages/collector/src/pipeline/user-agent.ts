import { isBotUserAgent } from "@tracklet/config/bots";
import Bowser from "bowser";
import { BoundedCache } from "./bounded-cache.js";

export interface UserAgentInfo {
  browser: string | null;
  os: string | null;
  /** `desktop` | `mobile` | `tablet` | `tv` | null. */
  device: string | null;
}

/** True for crawlers, headless tools and requests without a user agent (they are counted, never stored). */
export { isBotUserAgent };

interface ParsedAgent {
  browser: string | null;
  os: string | null;
  /** From the UA alone; the screen width may still fill it in. */
  device: string | null;
}

// User agents repeat a lot; parsing each one once per process is most of the enrichment cost otherwise.
const CACHE_SIZE = 2000;
const parseCache = new BoundedCache<string, ParsedAgent>(CACHE_SIZE);

function parseAgent(ua: string): ParsedAgent {
  const parsed = Bowser.parse(ua);
  return {
    browser: parsed.browser.name || null,
    os: parsed.os.name || null,
    device: parsed.platform.type ?? null,
  };
}

/**
 * Browser, OS and device class from the user agent (bowser). When the UA says nothing about the device,
 * the screen width the SDK sends (`sw`) decides: < 576 px mobile, < 992 px tablet, else desktop.
 */
export function parseUserAgent(ua: string, screenWidth?: number): UserAgentInfo {
  const parsed = parseCache.get(ua, parseAgent);
  let device = parsed.device;
  if (!device && screenWidth !== undefined && screenWidth > 0) {
    device = screenWidth < 576 ? "mobile" : screenWidth < 992 ? "tablet" : "desktop";
  }
  return { browser: parsed.browser, os: parsed.os, device };
}
