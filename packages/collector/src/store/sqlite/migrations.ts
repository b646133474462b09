import { DISTINCT_SITES_SQL } from "../../stats/distinct-sites-sql.js";
import { EMPTY_ROLLUPS_SQL } from "../empty-rollups-sql.js";

/** Versioned schema of the SQLite store; append only, never edit an applied entry. */
export const SQLITE_MIGRATIONS: Array<{ version: number; name: string; sql: string }> = [
  {
    version: 1,
    name: "events and meta",
    sql: `
      CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        site TEXT NOT NULL,
        type TEXT NOT NULL,
        name TEXT,
        ts INTEGER NOT NULL,
        client_ts INTEGER,
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
        engaged_ms INTEGER,
        props TEXT
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
  {
    // Rollups behind the stats queries (see docs/architecture.md, "Stores and stats"): per site and UTC hour,
    // distinct people per dimension with a pointer to their previous hour (also per UTC day), per-session
    // hour rows, and summable counters (also per UTC day). Built in the background from closed hours; `stats_stale` records late inserts.
    version: 3,
    name: "stats rollups",
    sql: `
      CREATE TABLE stats_sites (site TEXT PRIMARY KEY, id INTEGER NOT NULL UNIQUE, built_to INTEGER NOT NULL,
        floor INTEGER NOT NULL);
      CREATE TABLE stats_persons (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE);
      CREATE TABLE stats_values (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE);
      CREATE TABLE stats_dim_values (site_id INTEGER NOT NULL, dim TEXT NOT NULL, value INTEGER NOT NULL,
        PRIMARY KEY (site_id, dim, value)) WITHOUT ROWID;
      CREATE TABLE stats_people (site_id INTEGER NOT NULL, dim TEXT NOT NULL, value INTEGER NOT NULL,
        hour INTEGER NOT NULL, pid INTEGER NOT NULL, prev INTEGER NOT NULL,
        PRIMARY KEY (site_id, dim, value, hour, pid)) WITHOUT ROWID;
      CREATE INDEX stats_people_person ON stats_people (site_id, dim, value, pid, hour);
      CREATE TABLE stats_people_day (site_id INTEGER NOT NULL, dim TEXT NOT NULL, value INTEGER NOT NULL,
        day INTEGER NOT NULL, pid INTEGER NOT NULL, prev INTEGER NOT NULL,
        PRIMARY KEY (site_id, dim, value, day, pid)) WITHOUT ROWID;
      CREATE TABLE stats_sessions (site_id INTEGER NOT NULL, hour INTEGER NOT NULL, session TEXT NOT NULL,
        pv INTEGER NOT NULL, first_ts INTEGER NOT NULL, last_ts INTEGER NOT NULL, entry_path TEXT, entry_ref TEXT,
        entry_pid INTEGER, exit_path TEXT, prev INTEGER NOT NULL, next INTEGER NOT NULL,
        PRIMARY KEY (site_id, hour, session)) WITHOUT ROWID;
      CREATE INDEX stats_sessions_session ON stats_sessions (site_id, session, hour);
      CREATE INDEX stats_sessions_entry ON stats_sessions (site_id, entry_pid, hour);
      CREATE INDEX stats_sessions_next ON stats_sessions (site_id, next) WHERE next >= 0;
      CREATE INDEX stats_sessions_linked ON stats_sessions (site_id, hour) WHERE prev <> -1 OR next <> -1;
      CREATE TABLE stats_counts (site_id INTEGER NOT NULL, kind TEXT NOT NULL, hour INTEGER NOT NULL,
        k1 TEXT NOT NULL, k2 TEXT NOT NULL, k3 TEXT NOT NULL, n INTEGER NOT NULL, m INTEGER NOT NULL,
        x INTEGER NOT NULL, PRIMARY KEY (site_id, kind, hour, k1, k2, k3)) WITHOUT ROWID;
      CREATE TABLE stats_stale (site TEXT NOT NULL, hour INTEGER NOT NULL, PRIMARY KEY (site, hour)) WITHOUT ROWID;
    `,
  },
  {
    // The (visitor_id, ts) index took two thirds of every insert's cost: its keys are random hashes, so each row
    // of a batch dirtied another index page all over the file. Sessions are continued from a table holding each
    // recent visitor's latest event instead (one upsert per visitor per batch, pruned to the last hours); the
    // backfill reads the last 6 hours of events per site through the (site, ts) index. (site, type, ts) goes too:
    // stats read closed hours from the rollups, and the raw rows left (partial hours) are few enough to filter by
    // type on the (site, ts) range.
    version: 4,
    name: "recent visitor sessions instead of the visitor index; no (site, type, ts) index",
    sql: `
      CREATE TABLE visitor_sessions (visitor_id TEXT PRIMARY KEY, session_id TEXT NOT NULL, ts INTEGER NOT NULL)
        WITHOUT ROWID;
      INSERT INTO visitor_sessions (visitor_id, session_id, ts)
        SELECT visitor_id, session_id, MAX(ts) FROM events
        WHERE site IN (${DISTINCT_SITES_SQL}) AND ts >= (unixepoch() - 21600) * 1000
        GROUP BY visitor_id;
      DROP INDEX IF EXISTS events_visitor_ts;
      DROP INDEX IF EXISTS events_site_type_ts;
    `,
  },
  {
    // The rollups with plain names: dimensions and counters are words (`browser`, `pageviews`…) and so are
    // their columns. Rollups are derived from events: they are dropped here and rebuilt by the next pass.
    version: 5,
    name: "stats rollups with plain names",
    sql: `
      DROP TABLE IF EXISTS stats_counts;
      DROP TABLE IF EXISTS stats_sessions;
      DROP TABLE IF EXISTS stats_people_day;
      DROP TABLE IF EXISTS stats_people;
      DROP TABLE IF EXISTS stats_dim_values;
      DROP TABLE IF EXISTS stats_values;
      DROP TABLE IF EXISTS stats_persons;
      DROP TABLE IF EXISTS stats_sites;
      DELETE FROM stats_stale;
      CREATE TABLE stats_sites (site TEXT PRIMARY KEY, id INTEGER NOT NULL UNIQUE, built_to INTEGER NOT NULL,
        floor INTEGER NOT NULL);
      CREATE TABLE stats_persons (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE);
      CREATE TABLE stats_values (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE);
      CREATE TABLE stats_dimension_values (site_id INTEGER NOT NULL, dimension TEXT NOT NULL, value INTEGER NOT NULL,
        PRIMARY KEY (site_id, dimension, value)) WITHOUT ROWID;
      CREATE TABLE stats_people (site_id INTEGER NOT NULL, dimension TEXT NOT NULL, value INTEGER NOT NULL,
        hour INTEGER NOT NULL, person_id INTEGER NOT NULL, previous_hour INTEGER NOT NULL,
        PRIMARY KEY (site_id, dimension, value, hour, person_id)) WITHOUT ROWID;
      CREATE INDEX stats_people_person ON stats_people (site_id, dimension, value, person_id, hour);
      CREATE TABLE stats_people_day (site_id INTEGER NOT NULL, dimension TEXT NOT NULL, value INTEGER NOT NULL,
        day INTEGER NOT NULL, person_id INTEGER NOT NULL, previous_hour INTEGER NOT NULL,
        PRIMARY KEY (site_id, dimension, value, day, person_id)) WITHOUT ROWID;
      CREATE TABLE stats_sessions (site_id INTEGER NOT NULL, hour INTEGER NOT NULL, session TEXT NOT NULL,
        pageviews INTEGER NOT NULL, first_ts INTEGER NOT NULL, last_ts INTEGER NOT NULL, entry_path TEXT,
        entry_referrer TEXT, entry_person_id INTEGER, exit_path TEXT, previous_hour INTEGER NOT NULL,
        next_hour INTEGER NOT NULL, PRIMARY KEY (site_id, hour, session)) WITHOUT ROWID;
      CREATE INDEX stats_sessions_session ON stats_sessions (site_id, session, hour);
      CREATE INDEX stats_sessions_entry ON stats_sessions (site_id, entry_person_id, hour);
      CREATE INDEX stats_sessions_next ON stats_sessions (site_id, next_hour) WHERE next_hour >= 0;
      CREATE INDEX stats_sessions_linked ON stats_sessions (site_id, hour)
        WHERE previous_hour <> -1 OR next_hour <> -1;
      CREATE TABLE stats_counters (site_id INTEGER NOT NULL, counter TEXT NOT NULL, hour INTEGER NOT NULL,
        key1 TEXT NOT NULL, key2 TEXT NOT NULL, key3 TEXT NOT NULL, count1 INTEGER NOT NULL, count2 INTEGER NOT NULL,
        measure INTEGER NOT NULL, PRIMARY KEY (site_id, counter, hour, key1, key2, key3)) WITHOUT ROWID;
    `,
  },
  {
    // What each destination did per UTC hour, so the dashboard can set tracklet's counts beside a vendor's.
    version: 6,
    name: "destination counts per hour",
    sql: `
      CREATE TABLE destination_counts (destination TEXT NOT NULL, hour INTEGER NOT NULL,
        collected INTEGER NOT NULL, forwarded INTEGER NOT NULL, failed INTEGER NOT NULL, dropped INTEGER NOT NULL,
        PRIMARY KEY (destination, hour)) WITHOUT ROWID;
    `,
  },
  {
    // Dashboard sign-ins: one row per browser session, keyed by the SHA-256 of its random id (the id itself is
    // only in the browser's cookie), with the access token's fingerprint so a new token ends every session.
    version: 7,
    name: "dashboard sessions",
    sql: `
      CREATE TABLE dashboard_sessions (id_hash TEXT PRIMARY KEY, token_key TEXT NOT NULL,
        created_at INTEGER NOT NULL, last_seen_at INTEGER NOT NULL) WITHOUT ROWID;
    `,
  },
  {
    // Coverage: pages served with the snippet and the first pageviews they reported, per site, path and UTC hour.
    version: 8,
    name: "document counts per page and hour",
    sql: `
      CREATE TABLE document_counts (site TEXT NOT NULL, path TEXT NOT NULL, hour INTEGER NOT NULL,
        served INTEGER NOT NULL, reported INTEGER NOT NULL, PRIMARY KEY (site, hour, path)) WITHOUT ROWID;
    `,
  },
  {
    // A site's people rows by hour, covering what a whole day's per-day rows need: building them reads that
    // day's rows instead of every row of the site (or one search per dimension value). Rows arrive in hour
    // order, so the index grows at its end.
    version: 9,
    name: "stats people by hour",
    sql: `
      CREATE INDEX stats_people_hour ON stats_people (site_id, hour, previous_hour);
    `,
  },
  {
    // Goals and funnels read the pageviews and custom events of closed hours from here, clustered by path or
    // name (`dimension`, `value` as in `stats_people`) and time: a range read touches only the rows of the
    // values asked for, never the wide `events` rows. Rollups are derived from events: the existing ones are
    // dropped so the next pass rebuilds them all, this table included.
    version: 10,
    name: "stats journeys for goals and funnels",
    sql: `
      CREATE TABLE stats_journeys (site_id INTEGER NOT NULL, dimension TEXT NOT NULL, value INTEGER NOT NULL,
        ts INTEGER NOT NULL, event_id INTEGER NOT NULL, session TEXT NOT NULL, person_id INTEGER NOT NULL,
        props TEXT, PRIMARY KEY (site_id, dimension, value, ts, event_id)) WITHOUT ROWID;
      ${EMPTY_ROLLUPS_SQL}
    `,
  },
  {
    // Distinct people over whole UTC days were one row per person, day and value: a 90-day view read about a
    // million of them at a million events, and ten at ten. The same counts are now kept per day and day of the
    // person's previous visit (`previous_day`, -1 for none), and for returning people per previous hour too,
    // keyed by it, for ranges that start inside a UTC day (its index by day serves rewinds and retention).
    // Rollups are derived from events: the existing ones are dropped so the next pass rebuilds them all.
    version: 11,
    name: "stats people per day as counts",
    sql: `
      DROP TABLE stats_people_day;
      CREATE TABLE stats_people_day (site_id INTEGER NOT NULL, dimension TEXT NOT NULL, value INTEGER NOT NULL,
        day INTEGER NOT NULL, previous_day INTEGER NOT NULL, people INTEGER NOT NULL,
        PRIMARY KEY (site_id, dimension, value, day, previous_day)) WITHOUT ROWID;
      CREATE TABLE stats_people_day_returning (site_id INTEGER NOT NULL, dimension TEXT NOT NULL,
        value INTEGER NOT NULL, previous_hour INTEGER NOT NULL, day INTEGER NOT NULL, people INTEGER NOT NULL,
        PRIMARY KEY (site_id, dimension, value, previous_hour, day)) WITHOUT ROWID;
      CREATE INDEX stats_people_day_returning_day ON stats_people_day_returning (site_id, day);
      ${EMPTY_ROLLUPS_SQL}
      DELETE FROM stats_journeys;
    `,
  },
  {
    // A half-hour zone's days start and end at half past a UTC hour: their distinct people were read one row per
    // person and hour, and the people of the hours they cut from raw events. The people rows now tell which
    // halves of the hour the person came in and link to the previous half hour (not hour), and are also counted
    // per hour, halves and previous half hour: exactly when that lies in the UTC day before the hour's or later,
    // else per its day, as a range starting less than a day before the hour needs no more. Longer ranges also
    // need the people of their last hours whose previous visit lies in the range's first UTC day, before the
    // range: the people rows are keyed by previous half hour within their hour, so those are one search per
    // hour. Returning people per day are keyed by previous half hour too. Rollups are derived from events: the
    // existing ones are dropped so the next pass rebuilds them all.
    version: 12,
    name: "stats people per half hour",
    sql: `
      DROP TABLE stats_people;
      CREATE TABLE stats_people (site_id INTEGER NOT NULL, dimension TEXT NOT NULL, value INTEGER NOT NULL,
        hour INTEGER NOT NULL, person_id INTEGER NOT NULL, halves INTEGER NOT NULL, previous_half INTEGER NOT NULL,
        PRIMARY KEY (site_id, dimension, value, hour, previous_half, person_id)) WITHOUT ROWID;
      CREATE INDEX stats_people_person ON stats_people (site_id, dimension, value, person_id, hour, halves);
      CREATE INDEX stats_people_hour ON stats_people (site_id, hour, previous_half);
      CREATE TABLE stats_people_hour_counts (site_id INTEGER NOT NULL, dimension TEXT NOT NULL,
        value INTEGER NOT NULL, hour INTEGER NOT NULL, previous_half INTEGER NOT NULL, halves INTEGER NOT NULL,
        people INTEGER NOT NULL, PRIMARY KEY (site_id, dimension, value, hour, previous_half, halves)) WITHOUT ROWID;
      DROP TABLE stats_people_day_returning;
      CREATE TABLE stats_people_day_returning (site_id INTEGER NOT NULL, dimension TEXT NOT NULL,
        value INTEGER NOT NULL, previous_half INTEGER NOT NULL, day INTEGER NOT NULL, people INTEGER NOT NULL,
        PRIMARY KEY (site_id, dimension, value, previous_half, day)) WITHOUT ROWID;
      CREATE INDEX stats_people_day_returning_day ON stats_people_day_returning (site_id, day);
      ${EMPTY_ROLLUPS_SQL}
      DELETE FROM stats_journeys;
    `,
  },
];
