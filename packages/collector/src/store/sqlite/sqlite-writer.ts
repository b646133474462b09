// The SQLite writer thread: owns one write connection per open store and inserts the batches the main thread
// posts, so HTTP handling and stats reads never wait for inserts. Started by `WriterThread`.
import { parentPort } from "node:worker_threads";
import Database from "better-sqlite3";
import { configureConnection, createRowInserter } from "./insert-rows.js";
import type { WriterReply, WriterRequest } from "./writer-protocol.js";

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
    conn = { db, insert: createRowInserter(db) };
    connections.set(id, conn);
  }
  return conn;
}

function handle(request: WriterRequest): void {
  if (request.type === "insert") {
    connection(request.store, request.path).insert(request.values);
  } else {
    const conn = connections.get(request.store);
    connections.delete(request.store);
    if (conn?.db.open) conn.db.close();
  }
}

parentPort?.on("message", (request: WriterRequest) => {
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
