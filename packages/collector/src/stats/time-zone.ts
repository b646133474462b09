/**
 * Calendar arithmetic in an IANA time zone with nothing but `Intl`: the stores receive bucket boundaries as
 * plain epoch-millisecond ranges, so SQLite (no time zone support) and PostgreSQL compute identical buckets.
 *
 * DST: hour buckets step 60 minutes in absolute time from a local hour boundary, so a fall-back day has 25
 * hour buckets (two labelled 02:00, with different offsets) and a spring-forward day 23. Day and week buckets
 * run from local midnight to the next local midnight, so they are 23 or 25 hours long on DST change days.
 */

import { LRUCache } from "lru-cache";

export interface ZonedParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** Longest zone name accepted; the longest IANA name has 32 characters. */
export const MAX_TIME_ZONE_LENGTH = 64;

/**
 * Formatters are costly (about 70 KB each) and zone names come from request URLs, where every case variant or
 * alias of a zone is another string. So names map to the zone's canonical name (`europe/PARIS` →
 * `Europe/Paris`), formatters are kept per canonical zone, and both caches are bounded.
 */
const canonicalNames = new LRUCache<string, string>({ max: 1000 });
const formatters = new LRUCache<string, Intl.DateTimeFormat>({ max: 64 });
const UNKNOWN = "";

function createFormatter(timeZone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });
}

function unknownZone(timeZone: string): RangeError {
  return new RangeError(`Unknown time zone ${JSON.stringify(timeZone.slice(0, MAX_TIME_ZONE_LENGTH))}`);
}

function formatter(timeZone: string): Intl.DateTimeFormat {
  if (timeZone.length === 0 || timeZone.length > MAX_TIME_ZONE_LENGTH) throw unknownZone(timeZone);
  const known = canonicalNames.get(timeZone);
  if (known === UNKNOWN) throw unknownZone(timeZone);
  const cached = formatters.get(known ?? timeZone);
  if (cached) return cached;
  let created: Intl.DateTimeFormat;
  try {
    created = createFormatter(known ?? timeZone);
  } catch {
    canonicalNames.set(timeZone, UNKNOWN);
    throw unknownZone(timeZone);
  }
  const canonical = created.resolvedOptions().timeZone ?? timeZone;
  canonicalNames.set(timeZone, canonical);
  const shared = formatters.get(canonical);
  if (shared) return shared;
  formatters.set(canonical, created);
  return created;
}

/** Entries held by the zone caches (names seen, formatters kept), for tests that check they stay bounded. */
export function timeZoneCacheSizes(): { names: number; formatters: number } {
  return { names: canonicalNames.size, formatters: formatters.size };
}

/** True when `timeZone` is an IANA zone name this runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Wall-clock fields of `epochMs` in `timeZone`. */
export function zonedParts(timeZone: string, epochMs: number): ZonedParts {
  const out: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(epochMs))) {
    if (p.type !== "literal") out[p.type] = Number(p.value);
  }
  return {
    year: out.year ?? 1970,
    month: out.month ?? 1,
    day: out.day ?? 1,
    hour: out.hour ?? 0,
    minute: out.minute ?? 0,
    second: out.second ?? 0,
  };
}

/** UTC offset of `timeZone` at `epochMs`, in minutes (east positive). */
export function offsetMinutes(timeZone: string, epochMs: number): number {
  const p = zonedParts(timeZone, epochMs);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((asUtc - Math.floor(epochMs / 1000) * 1000) / 60_000);
}

/**
 * The instant a local wall time occurs in `timeZone`. Out-of-range fields are normalised (day 32 → next
 * month). A wall time skipped by a DST gap maps to the instant just after the gap.
 */
export function zonedTimeToEpoch(
  timeZone: string,
  year: number,
  month: number,
  day: number,
  hour = 0,
): number {
  const wall = Date.UTC(year, month - 1, day, hour);
  const first = wall - offsetMinutes(timeZone, wall) * 60_000;
  const second = wall - offsetMinutes(timeZone, first) * 60_000;
  if (first === second) return first;
  // The offset changed between the guesses: the wall time is ambiguous or skipped; take the later instant.
  return Math.max(first, second);
}

/** Local midnight of the day containing `epochMs`. */
export function startOfLocalDay(timeZone: string, epochMs: number): number {
  const p = zonedParts(timeZone, epochMs);
  return zonedTimeToEpoch(timeZone, p.year, p.month, p.day);
}

/** Local midnight `days` calendar days after the local day containing `epochMs` (negative goes back). */
export function addLocalDays(timeZone: string, epochMs: number, days: number): number {
  const p = zonedParts(timeZone, epochMs);
  return zonedTimeToEpoch(timeZone, p.year, p.month, p.day + days);
}

/** ISO 8601 with the zone's offset at that instant, e.g. `2024-03-31T03:00:00+02:00`. */
export function formatZoned(timeZone: string, epochMs: number): string {
  const p = zonedParts(timeZone, epochMs);
  const off = offsetMinutes(timeZone, epochMs);
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  const sign = off < 0 ? "-" : "+";
  const abs = Math.abs(off);
  return (
    `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

export interface Bucket {
  start: number;
  end: number;
}

/** Buckets covering `[from, to)`; the first starts at the local boundary at or before `from`. */
export function timeBuckets(
  timeZone: string,
  from: number,
  to: number,
  interval: "hour" | "day" | "week",
  maxBuckets = 10_000,
): Bucket[] {
  const buckets: Bucket[] = [];
  let start: number;
  if (interval === "hour") {
    const p = zonedParts(timeZone, from);
    start = Math.floor(from / 1000) * 1000 - (p.minute * 60 + p.second) * 1000;
  } else if (interval === "day") {
    start = startOfLocalDay(timeZone, from);
  } else {
    const p = zonedParts(timeZone, from);
    const weekday = new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay();
    start = zonedTimeToEpoch(timeZone, p.year, p.month, p.day - ((weekday + 6) % 7));
  }
  while (start < to) {
    const end =
      interval === "hour"
        ? start + 3_600_000
        : addLocalDays(timeZone, start + 3_600_000, interval === "day" ? 1 : 7);
    buckets.push({ start, end });
    if (buckets.length > maxBuckets) {
      throw new RangeError(
        `The range needs more than ${maxBuckets} ${interval} buckets; use a larger interval.`,
      );
    }
    start = end;
  }
  return buckets;
}
