// Bytes on disk per event for each store. BENCH_EVENTS events (default 200,000) of the dashboard bench's mix
// (sessions over many paths, referrers, UTM, props, signed-in users; 30 days) go in through `insertEvents` in
// batches of 10,000, as the collector writes them. Printed per store: the events table with its indexes, the
// whole database, and the whole database once the stats rollups are built. SQLite: the file plus its WAL as
// ingestion left them, then the file alone after a checkpoint (table sizes from `dbstat`); PostgreSQL:
// `pg_total_relation_size` (heap, indexes, TOAST) of each table.
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PostgresStore } from "../../packages/collector/src/store/postgres/postgres-store.js";
import { SqliteStore } from "../../packages/collector/src/store/sqlite/sqlite-store.js";
import { generateEvents } from "../../packages/collector/test/dashboard/seed.js";
import { startThrowawayPostgres } from "../../packages/collector/test/postgres.js";

const TOTAL = Number(process.env.BENCH_EVENTS ?? 200_000);
const DAYS = 30;
const END = new Date("2026-06-15T00:00:00Z");
/** The stores' clock: noon of the last day, so every filled hour can be rolled up. */
const NOW = END.getTime() + 12 * 3_600_000;

interface Sizes {
  store: string;
  /** Events table with its indexes. */
  events: number;
  /** Every table and index before rollups (SQLite: file + WAL as ingestion left them, and after a checkpoint). */
  whole: number;
  wholeWithWal?: number;
  withRollups: number;
}

async function fill(store: SqliteStore | PostgresStore): Promise<void> {
  const perDay = Math.ceil(TOTAL / DAYS);
  for (let day = 0, inserted = 0; inserted < TOTAL; day++) {
    const count = Math.min(perDay, TOTAL - inserted);
    const end = new Date(END.getTime() - (DAYS - day - 1) * 86_400_000);
    const events = generateEvents({
      events: count,
      seed: 1000 + day,
      sites: ["bench.example"],
      end,
      days: 1,
      users: 400,
      hostile: false,
    });
    for (let i = 0; i < events.length; i += 10_000) await store.insertEvents(events.slice(i, i + 10_000));
    inserted += count;
  }
}

const fileSize = (path: string) => (existsSync(path) ? statSync(path).size : 0);

async function sqliteSizes(dir: string): Promise<Sizes> {
  const path = join(dir, "storage.sqlite");
  const store = new SqliteStore({ path, now: () => NOW, autoRollups: false });
  await fill(store);
  const wholeWithWal = fileSize(path) + fileSize(`${path}-wal`);
  store.db.pragma("wal_checkpoint(TRUNCATE)");
  const tableBytes = () =>
    store.db
      .prepare(
        `SELECT SUM(d.pgsize) AS bytes FROM dbstat d
          WHERE d.name = 'events' OR d.name IN (SELECT name FROM sqlite_schema WHERE tbl_name = 'events')`,
      )
      .get() as { bytes: number };
  const events = tableBytes().bytes;
  const whole = fileSize(path);
  await store.refreshRollups();
  store.db.pragma("wal_checkpoint(TRUNCATE)");
  const withRollups = fileSize(path);
  await store.close();
  return { store: "SQLite", events, whole, wholeWithWal, withRollups };
}

async function postgresSizes(): Promise<Sizes> {
  const pg = await startThrowawayPostgres();
  try {
    const store = new PostgresStore({
      connectionString: await pg.createDatabase("storage"),
      now: () => NOW,
      autoRollups: false,
    });
    await store.migrate();
    await fill(store);
    const sizes = async () => {
      await store.pool.query("VACUUM ANALYZE");
      const { rows } = await store.pool.query<{ events: string; whole: string }>(
        `SELECT pg_total_relation_size('events') AS events,
                SUM(pg_total_relation_size(c.oid)) AS whole
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = current_schema() AND c.relkind = 'r'`,
      );
      return { events: Number(rows[0]?.events), whole: Number(rows[0]?.whole) };
    };
    const before = await sizes();
    await store.refreshRollups();
    const after = await sizes();
    await store.close();
    return { store: "PostgreSQL", events: before.events, whole: before.whole, withRollups: after.whole };
  } finally {
    await pg.stop();
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "tracklet-storage-"));
  const results: Sizes[] = [];
  try {
    results.push(await sqliteSizes(dir));
    results.push(await postgresSizes());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const perEvent = (bytes: number | undefined) => (bytes === undefined ? "-" : (bytes / TOTAL).toFixed(0));
  console.log(`\nbytes on disk per event, ${TOTAL.toLocaleString("en")} events over ${DAYS} days\n`);
  console.log("store        events + indexes   whole database   file + WAL after ingestion   with rollups");
  for (const r of results)
    console.log(
      [
        r.store.padEnd(12),
        perEvent(r.events).padStart(16),
        perEvent(r.whole).padStart(16),
        perEvent(r.wholeWithWal).padStart(28),
        perEvent(r.withRollups).padStart(14),
      ].join(" "),
    );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
