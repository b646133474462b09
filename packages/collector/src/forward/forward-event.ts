import type { StoredEvent } from "../store/types.js";
import type { StreamName } from "../tracker/opt-out.js";
import type { TrackerEvent } from "../tracker/types.js";
import type { ForwardInput } from "./types.js";

/** Tracker events and stored rows brought to one shape the destination mappers read. */
export interface ForwardEvent {
  stream: StreamName;
  kind: "pageview" | "event" | "engagement" | "server";
  /** Event name; null for pageviews and engagement. */
  name: string | null;
  /** Epoch milliseconds (client time when known). */
  ts: number;
  url: string | null;
  path: string | null;
  title: string | null;
  referrer: string | null;
  userId: string | null;
  sessionId: string | null;
  /** Anonymous per-visitor id when known (the stored visitor hash). */
  visitorId: string | null;
  engagedMs: number | null;
  /** Custom properties (stored props, or the tracker event's data). */
  props: Record<string, unknown>;
}

export function isStoredEvent(input: ForwardInput): input is StoredEvent {
  return typeof (input as StoredEvent).type === "string" && typeof (input as StoredEvent).ts === "number";
}

export function isTrackerEvent(input: ForwardInput): input is TrackerEvent {
  const e = input as TrackerEvent;
  return typeof e.name === "string" && typeof e.timestamp === "string" && typeof e.data === "object";
}

/** Normalises one input; throws a TypeError naming what is wrong when it is neither shape. */
export function toForwardEvent(input: ForwardInput): ForwardEvent {
  if (input === null || typeof input !== "object") {
    throw new TypeError(
      `forward: expected a tracker event or stored event, got ${input === null ? "null" : typeof input}`,
    );
  }
  if (isStoredEvent(input)) {
    const stream: StreamName =
      input.type === "event" ? "events" : input.type === "server" ? "server" : "pageviews";
    return {
      stream,
      kind: input.type,
      name: input.name,
      ts: input.clientTs ?? input.ts,
      url: input.url,
      path: input.path,
      title: input.title,
      referrer: input.referrer,
      userId: input.userId,
      sessionId: input.sessionId,
      visitorId: input.visitorId,
      engagedMs: input.engagedMs,
      props: input.props ?? {},
    };
  }
  if (isTrackerEvent(input)) {
    const ctx = input.context ?? {};
    const ts = Date.parse(input.timestamp);
    return {
      stream: "server",
      kind: "server",
      name: input.name,
      ts: Number.isFinite(ts) ? ts : Date.now(),
      url: text(ctx.url),
      path: text(ctx.path),
      title: null,
      referrer: null,
      userId: text(ctx.user ?? ctx.user_id),
      sessionId: text(ctx.session ?? ctx.session_id),
      visitorId: null,
      engagedMs: null,
      props: input.data ?? {},
    };
  }
  throw new TypeError(
    "forward: event has neither a StoredEvent `type`/`ts` nor a tracker `name`/`timestamp`/`data`",
  );
}

function text(value: unknown): string | null {
  if (typeof value === "string" && value !== "") return value;
  if (typeof value === "number") return String(value);
  return null;
}
