import { PostgresStore } from "./postgres/postgres-store.js";
import { DEFAULT_SQLITE_PATH, SqliteStore } from "./sqlite/sqlite-store.js";
import type { EventStore } from "./types.js";

/** True for a `postgres://` or `postgresql://` connection URL. */
export function isPostgresUrl(spec: string): boolean {
  return /^postgres(ql)?:\/\//i.test(spec);
}

/**
 * Opens the store a spec names — a `postgres://…` URL or a SQLite file path (default
 * `./.tracklet/tracklet.sqlite`) — and applies pending migrations.
 */
export async function openStore(
  spec: string = DEFAULT_SQLITE_PATH,
  options: { now?: () => number } = {},
): Promise<EventStore> {
  const store: EventStore = isPostgresUrl(spec)
    ? new PostgresStore({ connectionString: spec, ...(options.now ? { now: options.now } : {}) })
    : new SqliteStore({ path: spec, ...(options.now ? { now: options.now } : {}) });
  try {
    await store.migrate();
  } catch (err) {
    await store.close().catch(() => {});
    throw err;
  }
  return store;
}
