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
  return isbot(ua);
}

/**
 * Browser, OS and device class from the user agent (bowser). When the UA says nothing about the device,
 * the screen width the SDK sends (`sw`) decides: < 576 px mobile, < 992 px tablet, else desktop.
 */
export function parseUserAgent(ua: string, screenWidth?: number): UserAgentInfo {
  const parsed = Bowser.parse(ua);
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
