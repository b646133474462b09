import type Database from "better-sqlite3";

/** Runs a prepared statement with `values[at]`, `values[at + 1]`, … as its bound parameters. */
export type StatementRunner = (values: readonly unknown[], at: number) => void;

/**
 * A runner that passes `count` values to `statement.run` as separate arguments. better-sqlite3 binds arguments
 * about twice as fast as the same values in an array (which it reads element by element through V8's API) or
 * spread from one; a call with a fixed argument list needs code written for its length, so it is generated once
 * per statement.
 */
export function createStatementRunner(statement: Database.Statement, count: number): StatementRunner {
  if (!Number.isInteger(count) || count < 1)
    throw new RangeError(`count must be a positive integer: ${count}`);
  const args = Array.from({ length: count }, (_, i) => `values[at + ${i}]`).join(", ");
  const run = new Function("statement", "values", "at", `statement.run(${args});`) as (
    statement: Database.Statement,
    values: readonly unknown[],
    at: number,
  ) => void;
  return (values, at) => run(statement, values, at);
}
