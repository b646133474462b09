// Writes many synthetic events straight by SQL (millions in minutes, not hours through the collector): pageviews
// and engagement over 500 paths, visitors of about 12 events in sessions of about 6, evenly spread in time, and
// optionally a third of the visitors signed in as one of a few users, who come back all through the range.
import type { PostgresStore } from "../../packages/collector/src/store/postgres/postgres-store.js";
import type { SqliteStore } from "../../packages/collector/src/store/sqlite/sqlite-store.js";

export type SeedableStore = SqliteStore | PostgresStore;

const CHUNK = 500_000;

const SQLITE_FILL = `
  WITH RECURSIVE n(i) AS (SELECT @lo UNION ALL SELECT i + 1 FROM n WHERE i < @hi)
  INSERT INTO events (site, type, ts, url, path, title, visitor_id, session_id, browser, os, device, engaged_ms,
                      user_id)
  SELECT 'bench.example', CASE WHEN i % 2 = 0 THEN 'pageview' ELSE 'engagement' END, CAST(@from + i * @step AS INTEGER),
         'https://bench.example/page/' || (i % 500), '/page/' || (i % 500), 'Page ' || (i % 500),
         printf('%016x%016x', i / 12, (i / 12) * 2654435761), printf('%016x%016x', i / 6, (i / 6) * 40503),
         'Chrome', 'Windows', 'desktop', CASE WHEN i % 2 = 1 THEN 1000 + i % 60000 END,
         CASE WHEN @users > 0 AND (i / 12) % 3 = 0 THEN 'user-' || ((i / 36) % @users) END
    FROM n`;

const POSTGRES_FILL = `
  INSERT INTO events (site, type, ts, url, path, title, visitor_id, session_id, browser, os, device, engaged_ms,
                      user_id)
  SELECT 'bench.example', CASE WHEN i % 2 = 0 THEN 'pageview' ELSE 'engagement' END, $3::bigint + (i * $4::float8)::bigint,
         'https://bench.example/page/' || (i % 500), '/page/' || (i % 500), 'Page ' || (i % 500),
         lpad(to_hex(i / 12), 16, '0') || lpad(to_hex((i / 12) * 2654435761), 16, '0'),
         lpad(to_hex(i / 6), 16, '0') || lpad(to_hex((i / 6) * 40503), 16, '0'),
         'Chrome', 'Windows', 'desktop', CASE WHEN i % 2 = 1 THEN 1000 + i % 60000 END,
         CASE WHEN $5::bigint > 0 AND (i / 12) % 3 = 0 THEN 'user-' || ((i / 36) % $5::bigint) END
    FROM generate_series($1::bigint, $2::bigint) AS i`;

/**
 * Adds `total` events between `from` and `to` (epoch ms), in transactions of half a million; with `users`, a third
 * of the visitors are signed in as one of that many users.
 */
export async function fillStore(
  store: SeedableStore,
  total: number,
  from: number,
  to: number,
  users = 0,
): Promise<void> {
  const step = (to - from) / total;
  for (let lo = 0; lo < total; lo += CHUNK) {
    const hi = Math.min(total, lo + CHUNK) - 1;
    if ("db" in store) store.db.prepare(SQLITE_FILL).run({ lo, hi, from, step, users });
    else await store.pool.query(POSTGRES_FILL, [lo, hi, from, step, users]);
  }
  if (!("db" in store)) await store.pool.query("VACUUM ANALYZE events");
}
