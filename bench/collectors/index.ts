// Several collectors on one PostgreSQL: BENCH_INSTANCES collector processes (default 2) share a throwaway
// database on loopback. Each takes autocannon load (SDK events, one per request, each with a unique id in its
// props) for BENCH_DURATION seconds (default 10) over BENCH_CONNECTIONS connections (default 16 per instance),
// while BENCH_VISITORS visitors (default 100) send a pageview every BENCH_VISITOR_GAP_MS (default 1000, ±50%
// jitter) to the instances in turn. Afterwards every process is closed (flushing its queue) and the rows are
// counted by event id against the events each collector accepted (and autocannon saw answered 2xx): none may be
// missing or written twice, and each alternating visitor must have exactly one session. Exit 1 otherwise.
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { startThrowawayPostgres } from "../../packages/collector/test/postgres.js";
import {
  type CollectorProcess,
  clientHeaders,
  type LoadResult,
  postEvents,
  sdkEventBody,
  startCollector,
} from "./traffic.js";

const INSTANCES = Math.max(2, Number(process.env.BENCH_INSTANCES ?? 2));
const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const VISITORS = Number(process.env.BENCH_VISITORS ?? 100);
const VISITOR_GAP_MS = Number(process.env.BENCH_VISITOR_GAP_MS ?? 1000);
/** Alternating visitors get client numbers above the load's, so their visitor hashes are their own. */
const VISITOR_CLIENT_BASE = 10_000;

interface VisitorTally {
  ok: number;
  failed: number;
}

/** Each visitor's n-th pageview goes to instance (visitor + n) % instances, until `until`. */
async function alternatingVisitors(collectors: CollectorProcess[], until: number): Promise<VisitorTally> {
  const tally = { ok: 0, failed: 0 };
  const visit = async (visitor: number) => {
    // Spread the visitors' first pageviews over one gap.
    await sleep(Math.random() * VISITOR_GAP_MS);
    for (let n = 0; Date.now() < until; n++) {
      const index = (visitor + n) % collectors.length;
      const target = collectors[index] as CollectorProcess;
      const res = await fetch(`${target.url}/collect`, {
        method: "POST",
        headers: clientHeaders(VISITOR_CLIENT_BASE + visitor),
        body: sdkEventBody(0, `i${index}-visitor${visitor}-${n}`, { visitor: `visitor${visitor}` }),
      }).catch(() => undefined);
      if (res?.ok) tally.ok++;
      else tally.failed++;
      await res?.arrayBuffer();
      await sleep(VISITOR_GAP_MS * (0.5 + Math.random()));
    }
  };
  await Promise.all(Array.from({ length: VISITORS }, (_, v) => visit(v)));
  return tally;
}

interface RowCounts {
  rows: number;
  distinctIds: number;
}

/** Rows whose event id starts with `prefix`, and how many distinct ids they hold. */
async function countRows(client: pg.Client, prefix: string): Promise<RowCounts> {
  const { rows } = await client.query<{ n: string; d: string }>(
    "SELECT COUNT(*) AS n, COUNT(DISTINCT props->>'id') AS d FROM events WHERE props->>'id' LIKE $1",
    [`${prefix}%`],
  );
  return { rows: Number(rows[0]?.n), distinctIds: Number(rows[0]?.d) };
}

async function main(): Promise<void> {
  const postgres = await startThrowawayPostgres();
  const url = await postgres.createDatabase("collectors");
  try {
    // Started together: their migrations race, as collectors deployed at once do.
    const collectors = await Promise.all(Array.from({ length: INSTANCES }, () => startCollector(url)));
    const until = Date.now() + DURATION_S * 1000;
    const [loads, visitors] = await Promise.all([
      Promise.all(
        collectors.map((c, i) =>
          postEvents({ url: c.url, idPrefix: `i${i}`, connections: CONNECTIONS, seconds: DURATION_S }),
        ),
      ),
      alternatingVisitors(collectors, until),
    ]);
    const metrics = await Promise.all(collectors.map((c) => c.stop()));
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await report(client, loads, metrics, visitors);
    } finally {
      await client.end();
    }
  } finally {
    await postgres.stop();
  }
}

async function report(
  client: pg.Client,
  loads: LoadResult[],
  metrics: Array<{ accepted: number; stored: number }>,
  visitors: VisitorTally,
): Promise<void> {
  console.log(
    `\n${INSTANCES} collectors on one PostgreSQL, ${CONNECTIONS} connections each, ${DURATION_S} s; ` +
      `${VISITORS} visitors alternating between them every ~${VISITOR_GAP_MS} ms\n`,
  );
  console.log(
    "instance   events/s   p50 ms   p99 ms   non-2xx   answered 2xx   accepted     rows   lost   twice",
  );
  let problems = 0;
  const total = { ok: 0, rows: 0, lost: 0, twice: 0, non2xx: 0 };
  for (const [i, load] of loads.entries()) {
    const counts = await countRows(client, `i${i}-`);
    // The collector's count: autocannon leaves out the answers still in flight when it stops.
    const accepted = metrics[i]?.accepted ?? 0;
    const lost = Math.max(accepted, load.ok) - counts.distinctIds;
    const twice = counts.rows - counts.distinctIds;
    total.ok += load.ok;
    total.rows += counts.rows;
    total.lost += lost;
    total.twice += twice;
    total.non2xx += load.non2xx;
    console.log(
      [
        `#${i + 1}`.padEnd(8),
        (load.ok / load.seconds).toFixed(0).padStart(10),
        String(load.p50ms).padStart(8),
        String(load.p99ms).padStart(8),
        String(load.non2xx).padStart(9),
        String(load.ok).padStart(14),
        String(accepted).padStart(10),
        String(counts.rows).padStart(8),
        String(lost).padStart(6),
        String(twice).padStart(7),
      ].join(" "),
    );
  }
  console.log(
    [
      "total".padEnd(8),
      (total.ok / DURATION_S).toFixed(0).padStart(10),
      "".padStart(17),
      String(total.non2xx).padStart(9),
      String(total.ok).padStart(14),
      "".padStart(10),
      String(total.rows).padStart(8),
      String(total.lost).padStart(6),
      String(total.twice).padStart(7),
    ].join(" "),
  );
  if (total.lost !== 0 || total.twice !== 0) problems++;

  const { rows: visitorRows } = await client.query<{ n: string }>(
    "SELECT COUNT(DISTINCT props->>'id') AS n FROM events WHERE props ? 'visitor'",
  );
  const visitorEvents = Number(visitorRows[0]?.n);
  const { rows } = await client.query<{ sessions: string; n: string }>(
    `SELECT sessions, COUNT(*) AS n FROM (SELECT props->>'visitor' AS v, COUNT(DISTINCT session_id) AS sessions
       FROM events WHERE props ? 'visitor' GROUP BY 1) s GROUP BY sessions ORDER BY sessions`,
  );
  const split = rows.filter((r) => Number(r.sessions) > 1).reduce((sum, r) => sum + Number(r.n), 0);
  console.log(
    `\nalternating visitors: ${visitors.ok} pageviews answered 2xx (${visitors.failed} failed), ${visitorEvents} stored; ` +
      `visitors by sessions: ${rows.map((r) => `${r.sessions} session(s): ${r.n}`).join(", ")}`,
  );
  if (visitorEvents < visitors.ok) problems++;
  if (split > 0) {
    console.log(`WARNING: ${split} alternating visitor(s) split across sessions`);
    problems++;
  }
  console.log(problems === 0 ? "\nnone lost, none twice, one session per visitor" : "\nFAILED");
  if (problems > 0) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
