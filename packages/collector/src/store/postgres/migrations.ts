/** Versioned schema of the PostgreSQL store; append only, never edit an applied entry. */
export const POSTGRES_MIGRATIONS: Array<{ version: number; name: string; sql: string }> = [
  {
    version: 1,
    name: "events and meta",
    sql: `
      CREATE TABLE events (
        id BIGSERIAL PRIMARY KEY,
        site TEXT NOT NULL,
        type TEXT NOT NULL,
        name TEXT,
        ts BIGINT NOT NULL,
        client_ts BIGINT,
        url TEXT,
        path TEXT,
        title TEXT,
        referrer TEXT,
        referrer_source TEXT,
        utm_source TEXT,
        utm_medium TEXT,
        utm_campaign TEXT,
        visitor_id TEXT NOT NULL,
        session_id TEXT NOT NULL,
        user_id TEXT,
        browser TEXT,
        os TEXT,
        device TEXT,
        engaged_ms BIGINT,
        props JSONB
      );
      CREATE INDEX events_site_ts ON events (site, ts);
      CREATE INDEX events_site_type_ts ON events (site, type, ts);
      CREATE INDEX events_site_path ON events (site, path);
      CREATE INDEX events_user_id ON events (user_id) WHERE user_id IS NOT NULL;
      CREATE INDEX events_visitor_ts ON events (visitor_id, ts);
      CREATE INDEX events_ts ON events (ts);
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `,
  },
  {
    // Every index costs each insert: (site, path) served no query (page reports range on (site, type, ts)),
    // and retention now deletes per site through (site, ts), so (ts) alone is not needed either.
    version: 2,
    name: "drop indexes no query uses",
    sql: `
      DROP INDEX IF EXISTS events_site_path;
      DROP INDEX IF EXISTS events_ts;
    `,
  },
];

/** Key of the advisory lock held while migrating, so collectors starting together apply each step once. */
export const MIGRATION_LOCK_KEY = 7_420_117_001;
