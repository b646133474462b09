/**
 * Calendar days of the dashboard URL (`YYYY-MM-DD` in an IANA zone) on top of the stats API's zone arithmetic, so
 * the page's ranges and the stats buckets agree to the millisecond.
 */
import { offsetMinutes, zonedParts, zonedTimeToEpoch } from "../stats/time-zone.js";

/** True when `timeZone` is an IANA zone name this runtime knows (`UTC`, `Europe/Paris`, …). */
export { isValidTimeZone } from "../stats/time-zone.js";

/** Offset of `timeZone` from UTC at `instant`, in milliseconds (Paris in winter: +3 600 000). */
export function zoneOffsetMs(instant: number, timeZone: string): number {
  return offsetMinutes(timeZone, instant) * 60_000;
}

/** The `YYYY-MM-DD` date `instant` falls on in `timeZone`. */
export function zonedDate(instant: number, timeZone: string): string {
  const p = zonedParts(timeZone, instant);
  return `${String(p.year).padStart(4, "0")}-${pad2(p.month)}-${pad2(p.day)}`;
}

/** The instant local midnight starts `date` (`YYYY-MM-DD`) in `timeZone` (the stats API's own arithmetic). */
export function zonedMidnight(date: string, timeZone: string): Date {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return new Date(zonedTimeToEpoch(timeZone, y, m, d));
}

/** `date` plus `days` calendar days (`YYYY-MM-DD` in, `YYYY-MM-DD` out; time zone free). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (both `YYYY-MM-DD`). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** True for a real calendar date written `YYYY-MM-DD` (rejects 2026-02-30). */
export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}
