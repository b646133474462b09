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
  props?: WireProps | undefined;
  engagedMs?: number | undefined;
}

/**
 * One wire event. Undefined fields are left out by `JSON.stringify`. Only the fields the page controls and
 * that have no natural bound are clipped to their `WIRE_LIMITS`: URLs by `trackedUrl`, the title here. The
 * rest come from the developer, and the collector answers 400 when they break a limit.
 */
export const buildEvent = (type: WireEventType, site: string, url: string, fields: EventFields): WireEvent =>
  ({
    type,
    site,
    url,
    sw: screen.width,
    ...fields,
    title: fields.title?.slice(0, L.maxTitleLength),
  }) as WireEvent;
