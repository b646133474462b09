// The stores a bench measures in turn: SQLite in a temporary directory and PostgreSQL on a throwaway cluster,
// each opened without background rollups and closed (and removed) after its measure.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PostgresStore } from "../../packages/collector/src/store/postgres/postgres-store.js";
import { SqliteStore } from "../../packages/collector/src/store/sqlite/sqlite-store.js";
import { startThrowawayPostgres, type ThrowawayPostgres } from "../../packages/collector/test/postgres.js";
import type { SeedableStore } from "./fill-store.js";

/**
 * Runs `measure(label, spec, store)` on each store `kinds` lists ("sqlite", "postgres"); `spec` is what a child
 * process opens the same store with (a file path or a connection URL). `name` names the file and database.
 */
export async function measureStores<T>(
  name: string,
  kinds: string[],
  measure: (label: string, spec: string, store: SeedableStore) => Promise<T>,
): Promise<T[]> {
  const dir = mkdtempSync(join(tmpdir(), `tracklet-${name}-`));
  let pg: ThrowawayPostgres | undefined;
  const results: T[] = [];
  try {
    if (kinds.includes("sqlite")) {
      const path = join(dir, `${name}.sqlite`);
      const store = new SqliteStore({ path, autoRollups: false });
      results.push(await measure("SQLite", path, store));
      await store.close();
    }
    if (kinds.includes("postgres")) {
      pg = await startThrowawayPostgres();
      const url = await pg.createDatabase(name);
      const store = new PostgresStore({ connectionString: url, autoRollups: false });
      await store.migrate();
      results.push(await measure("PostgreSQL", url, store));
      await store.close();
    }
  } finally {
    await pg?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}
