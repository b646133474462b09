import { randomUUID } from "node:crypto";
import type { EventStore } from "./store/types.js";

/** Meta key the anonymous install id is stored under. */
export const INSTALL_ID_KEY = "install_id";

const cache = new WeakMap<object, Promise<string>>();

/**
 * The anonymous install id: a random UUIDv4 carrying no identifying information, created once and kept in the
 * store's meta table (first writer wins), so every collector sharing a store reports the same id. Cached per
 * store; a failed lookup is not cached and is retried on the next call.
 */
export function getInstallId(store: Pick<EventStore, "getMeta" | "setMetaIfAbsent">): Promise<string> {
  const cached = cache.get(store);
  if (cached) return cached;
  const pending = (async () => {
    const existing = await store.getMeta(INSTALL_ID_KEY);
    if (existing !== undefined && existing !== "") return existing;
    return store.setMetaIfAbsent(INSTALL_ID_KEY, randomUUID());
  })();
  cache.set(store, pending);
  pending.catch(() => cache.delete(store));
  return pending;
}
