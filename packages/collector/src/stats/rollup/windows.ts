import { ACTIVE_USER_DAYS } from "../query-echo.js";
import { addLocalDays, type Bucket, timeBuckets } from "../time-zone.js";
import type { StatsQuery } from "../types.js";
import {
  coverOf,
  type HalfCover,
  halfCoverOf,
  type RollupReach,
  rawParts,
  withoutHalves,
} from "./rollup-plan.js";
import type { Dimension } from "./rollup-schema.js";

/** A time window whose distinct people some figure needs: the whole range, a DAU/WAU/MAU span, a series bucket. */
export interface Window {
  id: number;
  start: number;
  end: number;
  /** Whole hours the rollups answer (and half hours, except for the whole range), the parts read raw. */
  cover: HalfCover | undefined;
  raw: Array<[number, number]>;
  /** Dimensions whose distinct people are counted in this window. */
  dimensions: Dimension[];
}

export const WHOLE_RANGE = 0;
export const ACTIVE_USER_WINDOWS = { dau: 1, wau: 2, mau: 3 } as const;
/** Series bucket `i` is window `FIRST_BUCKET + i`. */
export const FIRST_BUCKET = 10;

export interface WindowPlan {
  windows: Window[];
  buckets: Bucket[];
  /** The whole range. */
  main: Window;
  /** Each bucket's window under the bucket's own id (it may share bounds with another window). */
  bucketWindows: Window[];
  /** The id of the window computed for `id` (windows with the same bounds are computed once). */
  resolve(id: number): number;
}

const ALL_DIMENSIONS: Dimension[] = ["all", "browser", "os", "device", "page", "event", "utm", "referrer"];

/** The windows of a query: the whole range with every dimension, the others with `all` people only. */
export function planWindows(q: StatsQuery, reach: RollupReach): WindowPlan {
  const from = q.from.getTime();
  const to = q.to.getTime();
  const windows: Window[] = [];
  const alias = new Map<number, number>();
  const add = (id: number, start: number, end: number, dimensions: Dimension[]) => {
    const same = windows.find((w) => w.start === start && w.end === end);
    if (same) {
      alias.set(id, same.id);
      for (const dimension of dimensions)
        if (!same.dimensions.includes(dimension)) same.dimensions.push(dimension);
      return;
    }
    // The whole range reads every figure, so whole hours only; the others read people and pageviews.
    const cover =
      id === WHOLE_RANGE ? withoutHalves(coverOf(start, end, reach)) : halfCoverOf(start, end, reach);
    windows.push({ id, start, end, cover, raw: rawParts(start, end, cover), dimensions: [...dimensions] });
  };
  add(WHOLE_RANGE, from, to, ALL_DIMENSIONS);
  for (const [figure, id] of Object.entries(ACTIVE_USER_WINDOWS))
    add(id, addLocalDays(q.timezone, to - 1, ACTIVE_USER_DAYS[figure as keyof typeof ACTIVE_USER_DAYS]), to, [
      "all",
    ]);
  const buckets = timeBuckets(q.timezone, from, to, q.interval);
  buckets.forEach((b, i) => {
    add(FIRST_BUCKET + i, Math.max(b.start, from), Math.min(b.end, to), ["all"]);
  });
  const resolve = (id: number) => alias.get(id) ?? id;
  const bucketWindows = buckets.map((_, i) => {
    const w = windows.find((x) => x.id === resolve(FIRST_BUCKET + i)) as Window;
    return { ...w, id: FIRST_BUCKET + i };
  });
  return { windows, buckets, main: windows[0] as Window, bucketWindows, resolve };
}
