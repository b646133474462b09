import type { CollectedEvent } from "../src/destinations/types.js";
import type { StoredEvent } from "../src/store/types.js";

/** A stored pageview with every field set, for destination tests; `overrides` replace fields. */
export function storedRow(overrides: Partial<StoredEvent> = {}): StoredEvent {
  return {
    site: "shop.example",
    type: "pageview",
    name: null,
    ts: Date.parse("2024-05-01T12:00:00.000Z"),
    clientTs: Date.parse("2024-05-01T11:59:59.000Z"),
    url: "https://shop.example/cart?x=1",
    path: "/cart",
    title: "Cart",
    referrer: "https://google.com/",
    referrerSource: "Google",
    utmSource: null,
    utmMedium: null,
    utmCampaign: null,
    visitorId: "v1",
    sessionId: "s1",
    userId: null,
    browser: "Chrome",
    os: "Linux",
    device: "desktop",
    engagedMs: null,
    props: null,
    ...overrides,
  };
}

/** The row as the pipeline hands it to destinations, with a browser's user agent and locale. */
export function collected(
  overrides: Partial<StoredEvent> = {},
  request: Partial<CollectedEvent> = {},
): CollectedEvent {
  return {
    row: storedRow(overrides),
    userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0",
    locale: "en-US",
    ...request,
  };
}
