import type { StatsQuery, StatsResult, StatsSource } from "./types.js";

/** The stats of a query with the destination counts of its range, when the source keeps them. */
export async function statsWithDestinations(source: StatsSource, query: StatsQuery): Promise<StatsResult> {
  const [result, destinations] = await Promise.all([
    source.stats(query),
    source.destinationCounts?.(query.from, query.to),
  ]);
  return destinations ? { ...result, destinations } : result;
}
