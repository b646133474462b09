/** Hour arithmetic for the stats rollups: which whole UTC hours of a range rollups answer, which parts raw. */

export const HOUR_MS = 3_600_000;
export const HALF_HOUR_MS = HOUR_MS / 2;

/** An hour is built once it closed this long ago, so inserts still queued for it land first. */
export const SETTLE_MS = 5 * 60_000;
/**
 * Inserts of events received longer ago than this mark their hour stale (`stats_stale`). Shorter than
 * `SETTLE_MS`, so any insert reaching an already built hour is marked.
 */
export const LATE_INSERT_MS = 60_000;

/** How far rollups reach for one site: hours `[floor, builtTo)` are built, except those from a `stale` hour on. */
export interface RollupReach {
  /** First hour (epoch hours) rollups may answer; retention deleted everything before it. */
  floor: number;
  /** Hours before this one are built. */
  builtTo: number;
  /** Built hours a late insert changed (sorted ascending); rollups stop short of the first one. */
  stale: number[];
}

/** Whole hours `[startHour, endHour)` (epoch hours) that rollups answer for a range; never empty. */
export interface Cover {
  startHour: number;
  endHour: number;
}

/** The longest run of usable rollup hours inside `[start, end)` (epoch ms), starting at its first whole hour. */
export function coverOf(start: number, end: number, reach: RollupReach): Cover | undefined {
  const startHour = Math.max(Math.ceil(start / HOUR_MS), reach.floor);
  let endHour = Math.min(Math.floor(end / HOUR_MS), reach.builtTo);
  for (const h of reach.stale) {
    if (h >= startHour) {
      endHour = Math.min(endHour, h);
      break;
    }
  }
  return endHour > startHour ? { startHour, endHour } : undefined;
}

/**
 * A cover that may also take the second half of the hour before its whole hours (`headHalf`) and the first half of
 * the hour after them (`tailHalf`), and may have no whole hour: a half-hour zone's buckets start and end at half
 * past. Only distinct people and pageviews are read over halves.
 */
export interface HalfCover extends Cover {
  headHalf: boolean;
  tailHalf: boolean;
}

/** A whole-hour cover as a `HalfCover` that takes no half. */
export const withoutHalves = (cover: Cover | undefined): HalfCover | undefined =>
  cover && { ...cover, headHalf: false, tailHalf: false };

/** `coverOf`, with the built half hours at its ends that lie inside `[start, end)`; undefined when none. */
export function halfCoverOf(start: number, end: number, reach: RollupReach): HalfCover | undefined {
  const whole = coverOf(start, end, reach);
  const startHour = whole?.startHour ?? Math.max(Math.ceil(start / HOUR_MS), reach.floor);
  const endHour = whole?.endHour ?? startHour;
  const built = (hour: number) => hour >= reach.floor && hour < reach.builtTo && !reach.stale.includes(hour);
  const headHalf =
    start <= startHour * HOUR_MS - HALF_HOUR_MS && startHour * HOUR_MS <= end && built(startHour - 1);
  // A cover cut short by an unbuilt or stale hour ends there.
  const tailHalf =
    endHour === Math.floor(end / HOUR_MS) &&
    end >= endHour * HOUR_MS + HALF_HOUR_MS &&
    start <= endHour * HOUR_MS &&
    built(endHour);
  if (!whole && !headHalf && !tailHalf) return undefined;
  return { startHour, endHour, headHalf, tailHalf };
}

/** The parts of `[start, end)` (epoch ms) outside the cover: what must be read from raw events. */
export function rawParts(
  start: number,
  end: number,
  cover: Cover | HalfCover | undefined,
): Array<[number, number]> {
  if (end <= start) return [];
  if (!cover) return [[start, end]];
  const half = (taken: boolean | undefined) => (taken ? HALF_HOUR_MS : 0);
  const coverStart = cover.startHour * HOUR_MS - half("headHalf" in cover && cover.headHalf);
  const coverEnd = cover.endHour * HOUR_MS + half("tailHalf" in cover && cover.tailHalf);
  const parts: Array<[number, number]> = [];
  if (start < coverStart) parts.push([start, coverStart]);
  if (coverEnd < end) parts.push([coverEnd, end]);
  return parts;
}

/** Sorted, merged union of intervals. */
export function mergeIntervals(intervals: Array<[number, number]>): Array<[number, number]> {
  const sorted = intervals.filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

export const DAY_HOURS = 24;
/** Half hours per UTC day: people rows link to the previous half hour (epoch half hours). */
export const DAY_HALVES = 2 * DAY_HOURS;

/**
 * A cover split for reading: whole UTC days `[daysStart, daysEnd)` from the per-day rows, the hours around them
 * (`[startHour, leadEnd)` and `[tailStart, endHour)`) from the per-hour rows. All in epoch hours; without a
 * whole day, all hours.
 */
export interface CoverSplit extends Cover {
  leadEnd: number;
  daysStart: number;
  daysEnd: number;
  tailStart: number;
}

export function splitCover(c: Cover): CoverSplit {
  const daysStart = Math.ceil(c.startHour / DAY_HOURS) * DAY_HOURS;
  const daysEnd = Math.floor(c.endHour / DAY_HOURS) * DAY_HOURS;
  if (daysEnd <= daysStart)
    return { ...c, leadEnd: c.endHour, daysStart: 0, daysEnd: 0, tailStart: c.endHour };
  return { ...c, leadEnd: daysStart, daysStart, daysEnd, tailStart: daysEnd };
}
