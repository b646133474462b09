import { describe, expect, it } from "vitest";
import {
  addDays,
  daysBetween,
  isIsoDate,
  isValidTimeZone,
  zonedDate,
  zonedMidnight,
  zoneOffsetMs,
} from "./zoned-time.js";

describe("zonedMidnight", () => {
  it("is plain UTC midnight in UTC", () => {
    expect(zonedMidnight("2026-11-05", "UTC").toISOString()).toBe("2026-11-05T00:00:00.000Z");
  });
  it("starts a Paris winter day at 23:00 UTC the day before, a summer day at 22:00", () => {
    expect(zonedMidnight("2026-11-05", "Europe/Paris").toISOString()).toBe("2026-11-04T23:00:00.000Z");
    expect(zonedMidnight("2026-07-05", "Europe/Paris").toISOString()).toBe("2026-07-04T22:00:00.000Z");
  });
  it("handles the days clocks change on", () => {
    // Paris springs forward 2026-03-29 and falls back 2026-10-25, both at 01:00 UTC.
    expect(zonedMidnight("2026-03-29", "Europe/Paris").toISOString()).toBe("2026-03-28T23:00:00.000Z");
    expect(zonedMidnight("2026-03-30", "Europe/Paris").toISOString()).toBe("2026-03-29T22:00:00.000Z");
    expect(zonedMidnight("2026-10-26", "Europe/Paris").toISOString()).toBe("2026-10-25T23:00:00.000Z");
    expect(zonedMidnight("2026-11-02", "America/New_York").toISOString()).toBe("2026-11-02T05:00:00.000Z");
  });
  it("works for zones west of UTC and with half-hour offsets", () => {
    expect(zonedMidnight("2026-01-10", "America/Los_Angeles").toISOString()).toBe("2026-01-10T08:00:00.000Z");
    expect(zonedMidnight("2026-01-10", "Asia/Kolkata").toISOString()).toBe("2026-01-09T18:30:00.000Z");
  });
});

describe("zonedDate and offsets", () => {
  it("gives the local calendar date of an instant", () => {
    const instant = Date.parse("2026-11-04T23:30:00Z");
    expect(zonedDate(instant, "UTC")).toBe("2026-11-04");
    expect(zonedDate(instant, "Europe/Paris")).toBe("2026-11-05");
    expect(zoneOffsetMs(instant, "Europe/Paris")).toBe(3_600_000);
  });
});

describe("calendar helpers", () => {
  it("adds days across months and years and counts the days between", () => {
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
    expect(daysBetween("2026-11-01", "2026-11-08")).toBe(7);
  });
  it("accepts only real YYYY-MM-DD dates", () => {
    expect(isIsoDate("2026-02-28")).toBe(true);
    expect(isIsoDate("2026-02-30")).toBe(false);
    expect(isIsoDate("2026-2-3")).toBe(false);
    expect(isIsoDate("yesterday")).toBe(false);
  });
  it("knows IANA zone names and refuses others", () => {
    expect(isValidTimeZone("Europe/Paris")).toBe(true);
    expect(isValidTimeZone("UTC")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus")).toBe(false);
    expect(isValidTimeZone("")).toBe(false);
  });
});
