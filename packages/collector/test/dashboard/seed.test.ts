import { describe, expect, it } from "vitest";
import { generateEvents } from "./seed.js";

const end = new Date("2026-11-08T00:00:00Z");

describe("generateEvents", () => {
  it("produces exactly the requested number of events, identical for the same seed", () => {
    const a = generateEvents({ events: 500, end, days: 7, seed: 42 });
    const b = generateEvents({ events: 500, end, days: 7, seed: 42 });
    expect(a).toHaveLength(500);
    expect(b).toEqual(a);
    expect(generateEvents({ events: 500, end, days: 7, seed: 43 })).not.toEqual(a);
  });

  it("keeps every event inside the requested days and every session inside one hour", () => {
    const events = generateEvents({ events: 2000, end, days: 7, seed: 7 });
    const hourOfSession = new Map<string, number>();
    for (const e of events) {
      expect(e.ts).toBeGreaterThanOrEqual(end.getTime() - 7 * 86_400_000);
      expect(e.ts).toBeLessThan(end.getTime());
      const hour = Math.floor(e.ts / 3_600_000);
      expect(hourOfSession.get(e.sessionId) ?? hour).toBe(hour);
      hourOfSession.set(e.sessionId, hour);
    }
  });

  it("starts every session with a pageview and mixes event types, users and hostile values", () => {
    const events = generateEvents({ events: 3000, end, days: 7, seed: 3 });
    const first = new Map<string, string>();
    for (const e of events) if (!first.has(e.sessionId)) first.set(e.sessionId, e.type);
    expect([...first.values()].every((t) => t === "pageview")).toBe(true);
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(["pageview", "event", "engagement"]));
    expect(events.some((e) => e.name === "search" && typeof e.props?.query === "string")).toBe(true);
    expect(events.some((e) => e.userId === null)).toBe(true);
    expect(events.some((e) => e.userId?.includes("<img"))).toBe(true);
    expect(events.some((e) => e.path?.includes("<script>"))).toBe(true);
  });
});
