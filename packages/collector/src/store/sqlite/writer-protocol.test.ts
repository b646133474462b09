import { describe, expect, it } from "vitest";
import { storedEvent } from "../../../test/store-suite.js";
import { eventValues } from "../columns.js";
import { decodeRows, encodeRows } from "./writer-protocol.js";

const at = (i: number) => ({
  ts: 1_700_000_000_000 + i,
  visitorId: `visitor-${i}`,
  sessionId: `session-${i}`,
});

describe("encodeRows", () => {
  it("round-trips every column of stored events, nulls and props included", () => {
    const events = [
      storedEvent({ ...at(1), props: { plan: "pro", seats: 3, trial: true, note: null }, engagedMs: null }),
      storedEvent({
        ...at(2),
        type: "engagement",
        engagedMs: 1234,
        clientTs: 1_700_000_000_123,
        referrer: "https://www.google.com/",
        referrerSource: "Google",
        utmSource: "news",
        utmMedium: "email",
        utmCampaign: "spring",
        userId: "user-1",
        title: "Ünïcødé — 表 😀",
      }),
      storedEvent({
        ...at(3),
        type: "event",
        name: "Signup",
        path: null,
        title: null,
        browser: null,
        os: null,
      }),
    ];
    const values = eventValues(events);
    const decoded = decodeRows(encodeRows(values));
    expect(decoded).toEqual(values);
    expect(decoded.map((v) => typeof v)).toEqual(values.map((v) => typeof v));
  });

  it("keeps each distinct string once and passes other values through", () => {
    const values = ["a", "b", "a", 0, -1.5, null, "", true, undefined, 2n ** 70n, "b", Number.NaN, ""];
    const rows = encodeRows(values);
    expect(rows.strings).toEqual(["a", "b", ""]);
    expect(rows.others).toEqual([true, undefined, 2n ** 70n]);
    const back = decodeRows(structuredClone(rows));
    expect(back).toEqual(values);
    expect(Object.is(back[4], -1.5)).toBe(true);
  });

  it("with a row width, finds a column's repeats a row above and still keeps each distinct string once", () => {
    // Three rows of three: column 0 repeats, column 1 changes and comes back, column 2 mixes types.
    const values = ["site", "a", "x", "site", "b", 1, "site", "a", "x"];
    const rows = encodeRows(values, 3);
    expect(rows.strings).toEqual(["site", "a", "x", "b"]);
    expect(decodeRows(structuredClone(rows))).toEqual(values);
    // The same string in another column is found through the table, not mistaken for the column's.
    const crossed = ["p", "q", "q", "p"];
    expect(decodeRows(encodeRows(crossed, 2))).toEqual(crossed);
    expect(encodeRows(crossed, 2).strings).toEqual(["p", "q"]);
    const events = [storedEvent(at(1)), storedEvent(at(1)), storedEvent({ ...at(2), title: "t" })];
    const flat = eventValues(events);
    expect(decodeRows(encodeRows(flat, flat.length / events.length))).toEqual(flat);
  });

  it("round-trips an empty batch and lone surrogates unchanged (the inserter replaces them)", () => {
    expect(decodeRows(encodeRows([]))).toEqual([]);
    const lone = ["\ud800x", "y\udfff", "\ud83d\ude00"];
    expect(decodeRows(encodeRows(lone))).toEqual(lone);
  });
});
