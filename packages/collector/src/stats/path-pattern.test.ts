import { describe, expect, it } from "vitest";
import { postgresPathMatch, sqlitePathMatch } from "./path-pattern.js";

describe("page patterns in SQL", () => {
  it("compares a path without * for equality", () => {
    expect(sqlitePathMatch("/c?x")).toEqual({ sql: "path = ?", params: ["/c?x"] });
    expect(postgresPathMatch("/50%_off")).toEqual({ sql: "path = ?", params: ["/50%_off"] });
  });

  it("gives SQLite a GLOB with its own wildcards taken literally, and the prefix's range for the index", () => {
    expect(sqlitePathMatch("/a?[b]*")).toEqual({
      sql: "path >= ? AND path < ? AND path GLOB ?",
      params: ["/a?[b]", "/a?[b^", "/a[?][[]b]*"],
    });
    expect(sqlitePathMatch("*/edit")).toEqual({ sql: "path GLOB ?", params: ["*/edit"] });
  });

  it("gives PostgreSQL a LIKE with %, _ and \\ escaped", () => {
    expect(postgresPathMatch("/50%_off\\*")).toEqual({
      sql: "path LIKE ? ESCAPE '\\'",
      params: ["/50\\%\\_off\\\\%"],
    });
  });
});
