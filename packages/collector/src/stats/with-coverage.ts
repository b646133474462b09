import type { Coverage, PageCoverage, StatsQuery, StatsResult, StatsSource } from "./types.js";

/** The Coverage figure from a range's page counts, or undefined when the injector counted no page served. */
export function coverageOf(pages: readonly PageCoverage[], limit: number): Coverage | undefined {
  let served = 0;
  let reported = 0;
  for (const page of pages) {
    served += page.served;
    reported += page.reported;
  }
  if (served === 0) return undefined;
  const top = [...pages]
    .sort((a, b) => b.served - a.served || b.reported - a.reported || (a.path < b.path ? -1 : 1))
    .slice(0, limit);
  return { served, reported, share: reported / served, pages: top };
}

/** The stats of a query with its Coverage figure, when the source keeps page counts and has some. */
export async function withCoverage(
  source: StatsSource,
  query: StatsQuery,
  stats: Promise<StatsResult>,
): Promise<StatsResult> {
  const [result, pages] = await Promise.all([
    stats,
    source.documentCounts?.(query.site, query.from, query.to),
  ]);
  const coverage = pages && coverageOf(pages, query.limit);
  return coverage ? { ...result, coverage } : result;
}
