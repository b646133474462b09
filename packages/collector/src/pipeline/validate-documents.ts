import { WIRE_LIMITS } from "@tracklet/browser-sdk/wire";
import { HttpError } from "./collect-error.js";

/** Pages served with the snippet for one site, path and UTC hour, as the injector hands them over. */
export interface ServedCount {
  site: string;
  path: string;
  /** Start of the UTC hour, epoch ms. */
  hour: number;
  count: number;
}

const HOUR_MS = 3_600_000;
/** Most counts taken at once: the injector sends at most 1,000 a request. */
export const MAX_DOCUMENT_COUNTS = 5_000;
/** The injector's name for the paths beyond its own limit. */
const OTHER_PATH = "(other)";

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function invalid(message: string, path: string): HttpError {
  return new HttpError(400, "invalid_type", message, path);
}

/** One `{ site, path, hour, count }` of the injector's page counts; throws naming the field. */
export function validateDocumentCount(value: unknown, at: string): ServedCount {
  if (!isObject(value)) throw invalid("A page count must be a JSON object.", at);
  const { site, path, hour, count } = value;
  if (typeof site !== "string" || site.trim() === "" || site.length > WIRE_LIMITS.maxSiteLength)
    throw invalid(`site must be a site id of 1-${WIRE_LIMITS.maxSiteLength} characters.`, `${at}.site`);
  if (
    typeof path !== "string" ||
    path.length > WIRE_LIMITS.maxUrlLength ||
    !(path.startsWith("/") || path === OTHER_PATH)
  )
    throw invalid(
      `path must be a URL path starting with "/" of at most ${WIRE_LIMITS.maxUrlLength} characters.`,
      `${at}.path`,
    );
  if (typeof hour !== "number" || !Number.isSafeInteger(hour) || hour < 0 || hour % HOUR_MS !== 0)
    throw invalid("hour must be the start of a UTC hour in epoch milliseconds.", `${at}.hour`);
  if (typeof count !== "number" || !Number.isSafeInteger(count) || count < 0)
    throw invalid("count must be a whole number of pages, 0 or more.", `${at}.count`);
  return { site, path, hour, count };
}

/**
 * The injector's page counts, validated: an array of `{ site, path, hour, count }`. Throws an `HttpError` (400)
 * naming the first bad field, e.g. `documents[3].hour`; nothing of a bad batch is taken.
 */
export function validateDocumentCounts(value: unknown, at = "documents"): ServedCount[] {
  if (!Array.isArray(value)) throw invalid("documents must be an array of page counts.", at);
  if (value.length > MAX_DOCUMENT_COUNTS)
    throw new HttpError(
      400,
      "too_many_events",
      `At most ${MAX_DOCUMENT_COUNTS} page counts per request.`,
      at,
    );
  return value.map((item, i) => validateDocumentCount(item, `${at}[${i}]`));
}
