import { createHash } from "node:crypto";
import { WIRE_EVENT_NAMES } from "@tracklet/browser-sdk/wire";
import type { CollectedEvent } from "./types.js";

/** A Matomo visitor id is 16 hex characters: the visitor hash's start, or a hash of an id of another form. */
export function matomoVisitorId(visitorId: string): string {
  if (/^[0-9a-f]{16,}$/i.test(visitorId)) return visitorId.slice(0, 16).toLowerCase();
  return createHash("sha256").update(visitorId).digest("hex").slice(0, 16);
}

/**
 * One Matomo HTTP Tracking API request (`matomo.php`) as the query string bulk tracking takes: `idsite`,
 * `rec=1`, `url`, `urlref`, `_id` (the visitor), `uid` (the signed-in user), `ua`, `lang`, `cdt` (seconds), and
 * per event: a pageview's `action_name`; an outbound click's `link` and a download's `download`; engagement as a
 * heartbeat `ping=1`; any other event as `e_c` (`event`, or `server` for server events), `e_a` (its name),
 * `e_n` (its `label` or `name` property) and `e_v` (a numeric `value` property). No IP is sent.
 */
export function toMatomoRequest(event: CollectedEvent, siteId: string): string {
  const { row } = event;
  const params = new URLSearchParams({ idsite: siteId, rec: "1", apiv: "1", send_image: "0" });
  const set = (key: string, value: string | null | undefined) => {
    if (value !== null && value !== undefined && value !== "") params.set(key, value);
  };
  set("url", row.url);
  set("urlref", row.referrer);
  set("_id", matomoVisitorId(row.visitorId));
  set("uid", row.userId);
  set("ua", event.userAgent);
  set("lang", event.locale);
  set("cdt", String(Math.floor(Math.min(row.clientTs ?? row.ts, row.ts) / 1000)));
  const props = row.props ?? {};
  const prop = (key: string) => (typeof props[key] === "string" ? (props[key] as string) : undefined);
  if (row.type === "pageview") {
    set("action_name", row.title ?? row.path);
  } else if (row.type === "engagement") {
    params.set("ping", "1");
  } else if (row.name === WIRE_EVENT_NAMES.outbound && prop("url")) {
    set("link", prop("url"));
  } else if (row.name === WIRE_EVENT_NAMES.download && prop("url")) {
    set("download", prop("url"));
  } else {
    set("e_c", row.type === "server" ? "server" : "event");
    set("e_a", row.name ?? "event");
    set("e_n", prop("label") ?? prop("name"));
    if (typeof props.value === "number" && Number.isFinite(props.value)) set("e_v", String(props.value));
  }
  return `?${params}`;
}
