import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startThrowawayPostgres, type ThrowawayPostgres } from "../../../test/postgres.js";
import { storedEvent } from "../../../test/store-suite.js";
import { PostgresStore } from "./postgres-store.js";

let pg: ThrowawayPostgres;
let store: PostgresStore;

beforeAll(async () => {
  pg = await startThrowawayPostgres();
  store = new PostgresStore({ connectionString: pg.url, autoRollups: false });
  await store.migrate();
}, 60_000);
afterAll(async () => {
  await store?.close();
  await pg?.stop();
});

const at = (i: number) => ({ ts: Date.now() + i, visitorId: `visitor-${i}`, sessionId: `session-${i}` });

describe("PostgreSQL batch insert", () => {
  it("stores text PostgreSQL cannot hold (NUL, lone surrogates) as U+FFFD, in columns and props alike", async () => {
    await store.insertEvents([
      storedEvent({ ...at(1), site: "text.example", title: "a\u0000b", path: "/lone\ud800" }),
      storedEvent({
        ...at(2),
        site: "text.example",
        title: "back\\u0000slash",
        props: { nul: "x\u0000y", lone: "\udc00z", pair: "\u{1F600}", quote: '"\\' },
      }),
    ]);
    const { rows } = await store.pool.query(
      "SELECT title, path, props FROM events WHERE site = 'text.example' ORDER BY ts",
    );
    expect(rows[0]).toMatchObject({ title: "a\ufffdb", path: "/lone\ufffd" });
    // An escaped backslash followed by "u0000" is ordinary text and stays as sent.
    expect(rows[1]).toMatchObject({
      title: "back\\u0000slash",
      props: { nul: "x\ufffdy", lone: "\ufffdz", pair: "\u{1F600}", quote: '"\\' },
    });
  });

  it("writes a large batch in one statement, every row and column intact", async () => {
    const events = Array.from({ length: 5000 }, (_, i) =>
      storedEvent({
        ...at(i),
        site: "batch.example",
        type: i % 3 === 0 ? "engagement" : "pageview",
        engagedMs: i % 3 === 0 ? i : null,
        clientTs: i % 2 ? 1_700_000_000_000 + i : null,
        props: i % 7 ? null : { i, even: i % 2 === 0 },
      }),
    );
    await store.insertEvents(events);
    expect(await store.countEvents("batch.example")).toBe(5000);
    const { rows } = await store.pool.query(
      "SELECT type, engaged_ms, client_ts, props FROM events WHERE site = 'batch.example' AND visitor_id = 'visitor-21'",
    );
    expect(rows).toEqual([
      { type: "engagement", engaged_ms: "21", client_ts: "1700000000021", props: { i: 21, even: false } },
    ]);
  });
});
