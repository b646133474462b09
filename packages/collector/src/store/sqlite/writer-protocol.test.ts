import { describe, expect, it } from "vitest";
import { eventValues } from "../columns.js";
import { storedEvent } from "../store-suite.js";
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

  it("round-trips an empty batch and lone surrogates unchanged (the inserter replaces them)", () => {
    expect(decodeRows(encodeRows([]))).toEqual([]);
    const lone = ["\ud800x", "y\udfff", "\ud83d\ude00"];
    expect(decodeRows(encodeRows(lone))).toEqual(lone);
  });
});
