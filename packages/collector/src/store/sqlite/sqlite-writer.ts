// The SQLite writer thread: owns one write connection per open store and inserts the batches the main thread
// posts, so HTTP handling and stats reads never wait for inserts. Started by `WriterThread`.
import { parentPort } from "node:worker_threads";
import Database from "better-sqlite3";
import { cleanTexts, configureConnection, createRowInserter } from "./insert-rows.js";
import { decodeRows, type WriterMessage, type WriterReply } from "./writer-protocol.js";

interface Connection {
  db: Database.Database;
  insert: (values: unknown[]) => void;
}

const connections = new Map<number, Connection>();

function connection(id: number, path: string): Connection {
  let conn = connections.get(id);
  if (!conn) {
    const db = new Database(path);
    configureConnection(db);
    configureWriter(db);
    conn = { db, insert: createRowInserter(db) };
    connections.set(id, conn);
  }
  return conn;
}

/** Settings of the insert connection only: a larger page cache keeps the indexes' and `visitor_sessions`' hot pages in memory. */
function configureWriter(db: Database.Database): void {
  db.pragma("cache_size = -65536");
}

function handle(request: WriterMessage): void {
  if (request.type === "insert") {
    // Each distinct string once, before it is spread over the rows.
    cleanTexts(request.rows.strings);
    connection(request.store, request.path).insert(decodeRows(request.rows));
  } else {
    const conn = connections.get(request.store);
    connections.delete(request.store);
    if (conn?.db.open) conn.db.close();
  }
}

parentPort?.on("message", (request: WriterMessage) => {
  let reply: WriterReply;
  try {
    handle(request);
    reply = { seq: request.seq };
  } catch (err) {
    const e = err as { message?: unknown; code?: unknown };
    reply = {
      seq: request.seq,
      error: {
        message: typeof e?.message === "string" ? e.message : String(err),
        ...(typeof e?.code === "string" ? { code: e.code } : {}),
      },
    };
  }
  parentPort?.postMessage(reply);
});
