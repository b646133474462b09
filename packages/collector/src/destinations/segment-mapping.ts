import type { CollectedEvent } from "./types.js";

/** The library name and version Segment shows as the event's source. */
export const SEGMENT_LIBRARY = { name: "tracklet", version: "0.1.0" } as const;

/** One Segment `page` or `track` call. */
export interface SegmentMessage {
  type: "page" | "track";
  /** `track` calls: the event name. */
  event?: string;
  /** `page` calls: the page title. */
  name?: string;
  properties: Record<string, unknown>;
  anonymousId: string;
  userId?: string;
  timestamp: string;
  messageId: string;
  context: Record<string, unknown>;
}

/**
 * Maps one event to a Segment call: a pageview becomes `page` (properties `url`, `path`, `title`, `referrer`,
 * `search`), every other event `track` with its name (`Engagement` for engagement reports) and properties.
 * `anonymousId` is the visitor id, `userId` the signed-in user; `context` carries the user agent, the locale and
 * the page, never an IP. `messageId` is fixed here, so a retried batch can be deduplicated.
 */
export function toSegmentMessage(event: CollectedEvent, messageId: string): SegmentMessage {
  const { row } = event;
  const page = pageProperties(row.url, row.path, row.title, row.referrer);
  const context: Record<string, unknown> = { library: SEGMENT_LIBRARY, page };
  if (event.userAgent) context.userAgent = event.userAgent;
  if (event.locale) context.locale = event.locale;
  const base = {
    anonymousId: row.visitorId,
    ...(row.userId !== null ? { userId: row.userId } : {}),
    timestamp: new Date(row.clientTs ?? row.ts).toISOString(),
    messageId,
    context,
  };
  const props = row.props ?? {};
  if (row.type === "pageview") {
    return {
      type: "page",
      ...(row.title ? { name: row.title } : {}),
      properties: { ...props, ...page },
      ...base,
    };
  }
  if (row.type === "engagement") {
    return {
      type: "track",
      event: "Engagement",
      properties: { engaged_ms: row.engagedMs ?? 0, ...props },
      ...base,
    };
  }
  return { type: "track", event: row.name ?? "event", properties: { ...props }, ...base };
}

function pageProperties(
  url: string | null,
  path: string | null,
  title: string | null,
  referrer: string | null,
): Record<string, string> {
  const page: Record<string, string> = {};
  if (url !== null) {
    page.url = url;
    const q = url.indexOf("?");
    if (q !== -1) page.search = url.slice(q, url.includes("#", q) ? url.indexOf("#", q) : undefined);
  }
  if (path !== null) page.path = path;
  if (title !== null) page.title = title;
  if (referrer !== null) page.referrer = referrer;
  return page;
}
