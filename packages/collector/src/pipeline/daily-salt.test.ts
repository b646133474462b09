import { describe, expect, it } from "vitest";
import { DailySalt, type SaltStore } from "./daily-salt.js";

function memoryStore(): SaltStore & { meta: Map<string, string> } {
  const meta = new Map<string, string>();
  return {
    meta,
    setMetaIfAbsent: async (key, value) => {
      if (!meta.has(key)) meta.set(key, value);
      return meta.get(key) as string;
    },
    deleteMeta: async (key) => void meta.delete(key),
  };
}

describe("DailySalt", () => {
  it("answers without a promise once today's salt is known, and not across UTC midnight", async () => {
    let now = Date.parse("2024-03-01T23:59:59.000Z");
    const store = memoryStore();
    const salt = new DailySalt(store, () => now);
    expect(salt.cachedNow()).toBeUndefined();
    const first = await salt.current();
    expect(salt.cachedNow()).toBe(first);
    expect(store.meta.get("salt:2024-03-01")).toBe(first);
    now = Date.parse("2024-03-02T00:00:00.000Z");
    expect(salt.cachedNow()).toBeUndefined();
    const second = await salt.current();
    expect(second).not.toBe(first);
    expect(salt.cachedNow()).toBe(second);
    expect(store.meta.has("salt:2024-03-01")).toBe(false);
  });

  it("uses the salt another collector stored first", async () => {
    const store = memoryStore();
    const now = () => Date.parse("2024-03-01T12:00:00Z");
    const a = await new DailySalt(store, now).current();
    const b = new DailySalt(store, now);
    expect(await b.current()).toBe(a);
    expect(b.cachedNow()).toBe(a);
  });
});
