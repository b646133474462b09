import { describe, expect, it } from "vitest";
import { HALF_HOUR_MS, HOUR_MS, halfCoverOf, type RollupReach, rawParts } from "./rollup-plan.js";

const at = (hour: number) => hour * HOUR_MS;
const reach = (over: Partial<RollupReach> = {}): RollupReach => ({
  floor: 0,
  builtTo: 100,
  stale: [],
  ...over,
});

describe("half covers", () => {
  it("take the built halves at both ends of a range cut at half past", () => {
    const cover = halfCoverOf(at(10) + HALF_HOUR_MS, at(20) + HALF_HOUR_MS, reach());
    expect(cover).toEqual({ startHour: 11, endHour: 20, headHalf: true, tailHalf: true });
    expect(rawParts(at(10) + HALF_HOUR_MS, at(20) + HALF_HOUR_MS, cover)).toEqual([]);
  });

  it("cover an hour bucket cut at half past with halves alone", () => {
    const cover = halfCoverOf(at(10) + HALF_HOUR_MS, at(11) + HALF_HOUR_MS, reach());
    expect(cover).toEqual({ startHour: 11, endHour: 11, headHalf: true, tailHalf: true });
  });

  it("leave the quarter hours of a quarter-hour zone raw", () => {
    const start = at(10) + HOUR_MS / 4;
    const end = at(20) + (3 * HOUR_MS) / 4;
    const cover = halfCoverOf(start, end, reach());
    expect(cover).toEqual({ startHour: 11, endHour: 20, headHalf: true, tailHalf: true });
    expect(rawParts(start, end, cover)).toEqual([
      [start, at(10) + HALF_HOUR_MS],
      [at(20) + HALF_HOUR_MS, end],
    ]);
  });

  it("take no half of an hour not built, stale, or before the floor", () => {
    const start = at(10) + HALF_HOUR_MS;
    const end = at(20) + HALF_HOUR_MS;
    expect(halfCoverOf(start, end, reach({ builtTo: 20 }))).toMatchObject({ endHour: 20, tailHalf: false });
    expect(halfCoverOf(start, end, reach({ stale: [20] }))).toMatchObject({ endHour: 20, tailHalf: false });
    expect(halfCoverOf(start, end, reach({ stale: [10] }))).toMatchObject({ startHour: 11, headHalf: false });
    expect(halfCoverOf(start, end, reach({ floor: 11 }))).toMatchObject({ startHour: 11, headHalf: false });
    // A stale hour inside ends the cover there; the hour after it is not taken.
    expect(halfCoverOf(start, end, reach({ stale: [15] }))).toEqual({
      startHour: 11,
      endHour: 15,
      headHalf: true,
      tailHalf: false,
    });
  });

  it("are none for a range inside one hour or ending before half past", () => {
    expect(halfCoverOf(at(10) + HOUR_MS / 6, at(10) + (5 * HOUR_MS) / 6, reach())).toBeUndefined();
    expect(halfCoverOf(at(10) + HALF_HOUR_MS, at(11) + HOUR_MS / 4, reach())).toMatchObject({
      headHalf: true,
      tailHalf: false,
    });
  });
});
