import { WIRE_LIMITS as L, type WireEvent, type WireEventType, type WireProps } from "./wire.js";

/** Keeps the first `maxProps` scalar props, keys clipped; objects, arrays and functions are dropped. */
export const cleanProps = (props?: Record<string, unknown>): WireProps | undefined => {
  let out: WireProps | undefined;
  let n = 0;
  for (const key in props) {
    const v = props[key];
    if (!(v instanceof Object) && n++ < L.maxProps) {
      out = out || {};
      out[key.slice(0, L.maxPropKeyLength)] = v as string;
    }
  }
  return out;
};

export interface EventFields {
  name?: string | undefined;
  referrer?: string | undefined;
  title?: string | undefined;
  props?: Record<string, unknown> | undefined;
  engagedMs?: number | undefined;
}

/** One wire event (props must already be clean); strings are clipped when serialised (`serialize`). */
export const buildEvent = (type: WireEventType, site: string, url: string, fields: EventFields): WireEvent =>
  ({ type, site, url, sw: screen.width, ...fields }) as WireEvent;

const LIMITS: Record<string, number> = {
  site: L.maxSiteLength,
  url: L.maxUrlLength,
  referrer: L.maxUrlLength,
  title: L.maxTitleLength,
  name: L.maxNameLength,
};

/** JSON for a request body: every string clipped to its `WIRE_LIMITS`, empty strings left out. */
export const serialize = (body: WireEvent | { batch: WireEvent[] }): string =>
  JSON.stringify(body, (key, v) =>
    typeof v === "string" ? v.slice(0, LIMITS[key] || L.maxPropValueLength) || undefined : v,
  );
