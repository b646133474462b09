import { describe, expect, it } from "vitest";
import { MemoryStore } from "../test/memory-store.js";
import { getInstallId, INSTALL_ID_KEY } from "./install-id.js";

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("getInstallId", () => {
  it("creates a UUIDv4 once and persists it in the store's meta table", async () => {
    const store = new MemoryStore();
    const id = await getInstallId(store);
    expect(id).toMatch(UUID_V4);
    expect(store.meta.get(INSTALL_ID_KEY)).toBe(id);
    expect(await getInstallId(store)).toBe(id);
  });

  it("gives collectors sharing a store the same id, whoever writes first", async () => {
    const shared = new MemoryStore();
    // Two views of one store: separate objects, so the in-memory cache is not what makes them agree.
    const viewA = {
      getMeta: (k: string) => shared.getMeta(k),
      setMetaIfAbsent: shared.setMetaIfAbsent.bind(shared),
    };
    const viewB = { getMeta: async () => undefined, setMetaIfAbsent: shared.setMetaIfAbsent.bind(shared) };
    const [a, b] = await Promise.all([getInstallId(viewA), getInstallId(viewB)]);
    expect(a).toBe(b);
  });

  it("reuses an id already stored by an earlier run", async () => {
    const store = new MemoryStore();
    await store.setMeta(INSTALL_ID_KEY, "0b6f6a3e-1f0e-4c1a-9a55-3f1d2b7c9e01");
    expect(await getInstallId(store)).toBe("0b6f6a3e-1f0e-4c1a-9a55-3f1d2b7c9e01");
  });

  it("caches per store and shares one lookup between concurrent callers", async () => {
    const store = new MemoryStore();
    let reads = 0;
    const counting = {
      getMeta: (k: string) => {
        reads += 1;
        return store.getMeta(k);
      },
      setMetaIfAbsent: store.setMetaIfAbsent.bind(store),
    };
    const ids = await Promise.all([getInstallId(counting), getInstallId(counting), getInstallId(counting)]);
    await getInstallId(counting);
    expect(new Set(ids).size).toBe(1);
    expect(reads).toBe(1);
  });

  it("retries after a failed lookup instead of caching the failure", async () => {
    const store = new MemoryStore();
    let fail = true;
    const flaky = {
      getMeta: async (k: string) => {
        if (fail) throw new Error("db unavailable");
        return store.getMeta(k);
      },
      setMetaIfAbsent: store.setMetaIfAbsent.bind(store),
    };
    await expect(getInstallId(flaky)).rejects.toThrow("db unavailable");
    fail = false;
    expect(await getInstallId(flaky)).toMatch(UUID_V4);
  });
});
