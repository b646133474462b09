import { WIRE_LIMITS, type WireEvent, type WireProps } from "@tracklet/browser-sdk/wire";
import { type CollectErrorCode, HttpError } from "./collect-error.js";

/** Limits the validator enforces; defaults are the SDK's `WIRE_LIMITS`. */
export type WireLimits = { -readonly [K in keyof typeof WIRE_LIMITS]: number };

export const DEFAULT_LIMITS: WireLimits = { ...WIRE_LIMITS };

const EVENT_TYPES = new Set(["pageview", "event", "engagement"]);

/** Content types `POST /collect` accepts (parameters such as `charset` are ignored). */
export function checkContentType(header: string | undefined): void {
  const value = header ?? "";
  const semicolon = value.indexOf(";");
  const type = (semicolon < 0 ? value : value.slice(0, semicolon)).trim().toLowerCase();
  if (type !== "text/plain" && type !== "application/json") {
    throw new HttpError(
      415,
      "unsupported_media_type",
      `Content-Type must be text/plain or application/json, got ${header ? JSON.stringify(header) : "none"}.`,
    );
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new HttpError(400, "invalid_json", `The body is not valid JSON: ${(err as Error).message}`);
  }
}

/** Parses and validates a `POST /collect` body: one wire event or `{ "batch": [...] }`. */
export function parseWireBody(text: string, limits: WireLimits = DEFAULT_LIMITS): WireEvent[] {
  return validateWireBody(parseJson(text), limits);
}

/** {@link parseWireBody}, also saying whether the body was a batch (to name fields found wrong later). */
export function parseWireRequest(
  text: string,
  limits: WireLimits = DEFAULT_LIMITS,
): { events: WireEvent[]; batch: boolean } {
  const body = parseJson(text);
  const events = validateWireBody(body, limits);
  return { events, batch: isPlainObject(body) && "batch" in body };
}

/** Where a field of the `index`th event is in the body: `site` for a lone event, `batch[3].site` in a batch. */
export function eventFieldPath(batch: boolean, index: number, name: string): string {
  return batch ? `batch[${index}].${name}` : name;
}

/** Validates an already parsed body; throws `HttpError` naming the first offending field. */
export function validateWireBody(body: unknown, limits: WireLimits = DEFAULT_LIMITS): WireEvent[] {
  if (!isPlainObject(body)) {
    throw new HttpError(
      400,
      "invalid_body",
      "The body must be a JSON object (one event or { batch: [...] }).",
    );
  }
  if ("batch" in body) {
    const batch = body.batch;
    if (!Array.isArray(batch)) throw new HttpError(400, "invalid_type", "batch must be an array.", "batch");
    if (batch.length === 0) throw new HttpError(400, "invalid_body", "batch must not be empty.", "batch");
    if (batch.length > limits.maxEventsPerBatch) {
      throw new HttpError(
        413,
        "too_many_events",
        `batch has ${batch.length} events; at most ${limits.maxEventsPerBatch} are accepted per request.`,
        "batch",
      );
    }
    const events = new Array<WireEvent>(batch.length);
    for (let i = 0; i < batch.length; i++) events[i] = validateEvent(batch[i], i, limits);
    return events;
  }
  return [validateEvent(body, -1, limits)];
}

/** Where in the body a field is: `name` for a lone event, `batch[3].name` for a batch's (built only for errors). */
type Field = (name: string) => string;

const FIELDS_OF_LONE_EVENT: Field = (name) => name;

/** The `Field` of batch event `index` (-1: a lone event). */
function fieldsOf(index: number): Field {
  return index < 0 ? FIELDS_OF_LONE_EVENT : (name) => (name ? `batch[${index}].${name}` : `batch[${index}]`);
}

function validateEvent(value: unknown, index: number, limits: WireLimits): WireEvent {
  const field = fieldsOf(index);
  if (!isPlainObject(value))
    throw new HttpError(400, "invalid_type", "An event must be a JSON object.", field(""));
  const type = value.type;
  if (type === undefined) throw new HttpError(400, "missing_field", "type is required.", field("type"));
  if (typeof type !== "string" || !EVENT_TYPES.has(type)) {
    throw new HttpError(
      400,
      "unknown_event_type",
      `Unknown event type ${JSON.stringify(type)}; expected pageview, event or engagement.`,
      field("type"),
    );
  }
  const site = requiredString(value, "site", limits.maxSiteLength, field);
  if (site.trim() === "") throw new HttpError(400, "missing_field", "site must not be empty.", field("site"));
  const url = requiredString(value, "url", limits.maxUrlLength, field);
  if (!isHttpUrl(url))
    throw new HttpError(400, "invalid_url", "url must be an absolute http(s) URL.", field("url"));
  const referrer = optionalString(value, "referrer", limits.maxUrlLength, field);
  const title = optionalString(value, "title", limits.maxTitleLength, field);
  const ts = optionalNumber(value, "ts", field, 0, 8.64e15);
  const sw = optionalNumber(value, "sw", field, 0, 100_000);
  const props = validateProps(value.props, field, limits);

  // Built by assignment rather than conditional spreads: this runs for every event on the request path.
  const event: Record<string, unknown> = { site, url };
  if (referrer !== undefined) event.referrer = referrer;
  if (title !== undefined) event.title = title;
  if (ts !== undefined) event.ts = ts;
  if (sw !== undefined) event.sw = sw;
  if (props !== undefined) event.props = props;
  if (type === "event") {
    const name = requiredString(value, "name", limits.maxNameLength, field);
    if (name.trim() === "")
      throw new HttpError(400, "missing_field", "name must not be empty.", field("name"));
    event.type = type;
    event.name = name;
    return event as unknown as WireEvent;
  }
  if (type === "engagement") {
    const engagedMs = optionalNumber(value, "engagedMs", field, 0, limits.maxEngagedMs);
    if (engagedMs === undefined) {
      throw new HttpError(
        400,
        "missing_field",
        "engagedMs is required for engagement events.",
        field("engagedMs"),
      );
    }
    event.type = type;
    event.engagedMs = engagedMs;
    return event as unknown as WireEvent;
  }
  event.type = "pageview";
  const first = value.first;
  if (first !== undefined && typeof first !== "boolean")
    throw new HttpError(400, "invalid_type", "first must be a boolean.", field("first"));
  if (first === true) event.first = true;
  return event as unknown as WireEvent;
}

function validateProps(value: unknown, field: Field, limits: WireLimits): WireProps | undefined {
  if (value === undefined || value === null) return undefined;
  const at = () => field("props");
  if (!isPlainObject(value)) throw new HttpError(400, "invalid_type", "props must be an object.", at());
  const keys = Object.keys(value);
  if (keys.length > limits.maxProps) {
    throw new HttpError(
      400,
      "too_many_props",
      `props has ${keys.length} keys; at most ${limits.maxProps}.`,
      at(),
    );
  }
  const props: Record<string, unknown> = {};
  for (const key of keys) {
    const v = value[key];
    const problem = propProblem(key, v, limits);
    if (problem) throw new HttpError(400, problem[0], problem[1], `${at()}.${key}`);
    // Defined, not assigned: a `__proto__` key stays a plain property and cannot touch the prototype.
    if (key === "__proto__")
      Object.defineProperty(props, key, { value: v, enumerable: true, writable: true, configurable: true });
    else props[key] = v;
  }
  return props as WireProps;
}

const PROP_VALUE_TYPES = "Property values must be strings, numbers, booleans or null.";

/** What is wrong with one prop (error code and message), or null. */
function propProblem(key: string, v: unknown, limits: WireLimits): [CollectErrorCode, string] | null {
  if (key.length > limits.maxPropKeyLength)
    return ["string_too_long", `Property names are limited to ${limits.maxPropKeyLength} characters.`];
  if (typeof v === "string") {
    return v.length > limits.maxPropValueLength
      ? ["string_too_long", `Property values are limited to ${limits.maxPropValueLength} characters.`]
      : null;
  }
  if (typeof v === "number")
    return Number.isFinite(v) ? null : ["invalid_type", "Property numbers must be finite."];
  if (typeof v === "boolean" || v === null) return null;
  return typeof v === "object" ? ["nested_prop", PROP_VALUE_TYPES] : ["invalid_type", PROP_VALUE_TYPES];
}

function requiredString(obj: Record<string, unknown>, name: string, max: number, field: Field): string {
  const v = obj[name];
  if (v === undefined || v === null)
    throw new HttpError(400, "missing_field", `${name} is required.`, field(name));
  if (typeof v !== "string")
    throw new HttpError(400, "invalid_type", `${name} must be a string.`, field(name));
  if (v.length > max)
    throw new HttpError(400, "string_too_long", `${name} is limited to ${max} characters.`, field(name));
  return v;
}

function optionalString(
  obj: Record<string, unknown>,
  name: string,
  max: number,
  field: Field,
): string | undefined {
  const v = obj[name];
  if (v === undefined || v === null) return undefined;
  return requiredString(obj, name, max, field);
}

function optionalNumber(
  obj: Record<string, unknown>,
  name: string,
  field: Field,
  min: number,
  max: number,
): number | undefined {
  const v = obj[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isFinite(v)) {
    throw new HttpError(400, "invalid_type", `${name} must be a finite number.`, field(name));
  }
  if (v < min || v > max)
    throw new HttpError(400, "out_of_range", `${name} must be between ${min} and ${max}.`, field(name));
  return v;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Scheme and a host without spaces; full parsing happens once, in enrichment. */
const HTTP_URL = /^https?:\/\/[^\s/?#]+[^\s]*$/i;

function isHttpUrl(s: string): boolean {
  return HTTP_URL.test(s);
}
