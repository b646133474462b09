import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { createStatementRunner } from "./statement-runner.js";

describe("createStatementRunner", () => {
  it("binds `count` values from the offset as the statement's parameters, in order", () => {
    const db = new Database(":memory:");
    db.exec("CREATE TABLE t (a, b, c)");
    const insertTwo = db.prepare("INSERT INTO t VALUES (?, ?, ?), (?, ?, ?)");
    const run = createStatementRunner(insertTwo, 6);
    const values = ["skip", 1, "x", null, 2.5, "y\u00e9", 3n, "z"];
    run(values, 1);
    expect(db.prepare("SELECT a, b, c FROM t ORDER BY rowid").all()).toEqual([
      { a: 1, b: "x", c: null },
      { a: 2.5, b: "y\u00e9", c: 3 },
    ]);
    db.close();
  });

  it("fails like the statement itself when the values run out, and refuses a bad count", () => {
    const db = new Database(":memory:");
    db.exec("CREATE TABLE t (a NOT NULL)");
    const run = createStatementRunner(db.prepare("INSERT INTO t VALUES (?)"), 1);
    expect(() => run([], 0)).toThrow();
    expect(() => createStatementRunner(db.prepare("SELECT 1"), 0)).toThrow(RangeError);
    db.close();
  });
});
