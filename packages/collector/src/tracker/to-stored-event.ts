import { createHash } from "node:crypto";
import { WIRE_LIMITS } from "@tracklet/browser-sdk/wire";
import type { StoredEvent } from "../store/types.js";
import { flattenProps } from "./flatten-props.js";
import type { TrackerEvent } from "./types.js";

/**
 * Maps one tracker event to a `server` row. Server events carry no IP or user agent: the visitor id is a hash of
 * site and user (or session; `anonymous` when neither is known) and the session id a hash of the session (or the
 * visitor), so raw session tokens are never stored.
 */
export function toStoredEvent(event: TrackerEvent, site: string): StoredEvent {
  const ctx = event.context;
  const userId = stringOrNull(ctx.user ?? ctx.user_id);
  const session = stringOrNull(ctx.session ?? ctx.session_id);
  const visitorId = hash(
    `server|${site}|${userId !== null ? `u:${userId}` : session !== null ? `s:${session}` : "anonymous"}`,
  );
  const ts = Date.parse(event.timestamp);
  const path = stringOrNull(ctx.path);
  const url = stringOrNull(ctx.url);
  return {
    site,
    type: "server",
    name: event.name.slice(0, WIRE_LIMITS.maxNameLength),
    ts: Number.isFinite(ts) ? ts : Date.now(),
    clientTs: null,
    url: url?.slice(0, WIRE_LIMITS.maxUrlLength) ?? null,
    path: path?.slice(0, WIRE_LIMITS.maxUrlLength) ?? null,
    title: null,
    referrer: null,
    referrerSource: null,
    utmSource: null,
    utmMedium: null,
    utmCampaign: null,
    visitorId,
    sessionId: session !== null ? hash(`session|${site}|${session}`) : visitorId,
    userId,
    browser: null,
    os: null,
    device: null,
    engagedMs: null,
    props: flattenProps(event.data, {
      maxProps: WIRE_LIMITS.maxProps,
      maxKeyLength: WIRE_LIMITS.maxPropKeyLength,
      maxValueLength: WIRE_LIMITS.maxPropValueLength,
    }),
  };
}

function stringOrNull(value: unknown): string | null {
  if (typeof value === "string") return value === "" ? null : value;
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  return null;
}

function hash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 32);
}
