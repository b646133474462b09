import type { LongOperationOptions } from "../lifecycle/long-operation.js";
import { PostgresStore } from "./postgres/postgres-store.js";
import { DEFAULT_SQLITE_PATH, SqliteStore } from "./sqlite/sqlite-store.js";
import type { EventStore } from "./types.js";

/** True for a `postgres://` or `postgresql://` connection URL. */
export function isPostgresUrl(spec: string): boolean {
  return /^postgres(ql)?:\/\//i.test(spec);
}

export interface OpenStoreOptions {
  now?: () => number;
  /** Progress and stop signal of the migrations. */
  migration?: LongOperationOptions;
  /** Keep the stats rollups up to date in the background (default true). */
  autoRollups?: boolean;
}

/**
 * Opens the store a spec names — a `postgres://…` URL or a SQLite file path (default
 * `./.tracklet/tracklet.sqlite`) — and applies pending migrations.
 */
export async function openStore(
  spec: string = DEFAULT_SQLITE_PATH,
  options: OpenStoreOptions = {},
): Promise<EventStore> {
  const shared = {
    ...(options.now ? { now: options.now } : {}),
    ...(options.autoRollups === undefined ? {} : { autoRollups: options.autoRollups }),
  };
  const store: EventStore = isPostgresUrl(spec)
    ? new PostgresStore({ connectionString: spec, ...shared })
    : new SqliteStore({ path: spec, migrations: "migrate", ...shared });
  try {
    await store.migrate(options.migration);
  } catch (err) {
    await store.close().catch(() => {});
    throw err;
  }
  return store;
}
