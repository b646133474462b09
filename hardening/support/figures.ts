/**
 * Prints measured figures as a small aligned table, so CI logs carry the numbers docs/reliability.md quotes.
 */
export function printFigures(title: string, rows: Array<[string, string | number]>): void {
  const width = Math.max(...rows.map(([name]) => name.length));
  const lines = rows.map(([name, value]) => `  ${name.padEnd(width)}  ${value}`);
  console.log(`\n[hardening] ${title}\n${lines.join("\n")}\n`);
}

/** The fast-check seed for this run: `HARDENING_SEED`, else a fixed default so CI runs are reproducible. */
export function fuzzSeed(fallback: number): number {
  const text = process.env.HARDENING_SEED;
  if (text === undefined || text === "") return fallback;
  const seed = Number(text);
  if (!Number.isSafeInteger(seed)) throw new Error(`HARDENING_SEED must be an integer, got ${text}`);
  return seed;
}

/** Bounded run count: `HARDENING_RUNS` (1–100000), else the given default. */
export function fuzzRuns(fallback: number): number {
  const text = process.env.HARDENING_RUNS;
  if (text === undefined || text === "") return fallback;
  const runs = Number(text);
  if (!Number.isSafeInteger(runs) || runs < 1 || runs > 100_000)
    throw new Error(`HARDENING_RUNS must be an integer in 1-100000, got ${text}`);
  return runs;
}
