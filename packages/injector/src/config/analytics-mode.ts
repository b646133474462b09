import { didYouMean } from "@tracklet/config";
import { ANALYTICS_MODES, type AnalyticsMode, type AnalyticsTool, FIRST_PARTY_TOOLS } from "../types.js";

export type ParsedMode = { mode: AnalyticsMode } | { expected: string; hint?: string; suggestion?: string };

/** `client`, `first_party` or `both`; anything else with the closest of them. */
export function parseMode(text: string): ParsedMode {
  const mode = ANALYTICS_MODES.find((m) => m === text);
  if (mode) return { mode };
  const expected = `one of ${ANALYTICS_MODES.join(", ")}`;
  const suggestion = didYouMean(text.toLowerCase().replace(/[-\s]/g, "_"), ANALYTICS_MODES);
  return suggestion ? { expected, hint: `did you mean "${suggestion}"?`, suggestion } : { expected };
}

/** Whether the page runs tracklet's own SDK, posting to the collector, besides or instead of the vendor. */
export function countsFirstParty(mode: AnalyticsMode | undefined): boolean {
  return mode === "first_party" || mode === "both";
}

export interface ModeProblem {
  severity: "error" | "warning";
  message: string;
}

/** What keeps a mode from working with a tool; `hasCollector`: the config has a `[collector]` section. */
export function modeProblems(
  mode: AnalyticsMode,
  tool: AnalyticsTool | null,
  hasCollector: boolean,
): ModeProblem[] {
  if (mode === "client" || tool === null || tool === "tracklet") return [];
  const problems: ModeProblem[] = [];
  if (mode === "first_party" && !(FIRST_PARTY_TOOLS as readonly string[]).includes(tool)) {
    problems.push({
      severity: "error",
      message: `first_party is not available for analytics_tool "${tool}": the collector forwards to ${FIRST_PARTY_TOOLS.join(", ")} only; use "client" or "both"`,
    });
  }
  if (!hasCollector) {
    const what =
      mode === "first_party" ? "which forwards them to the vendor" : "which stores them next to the vendor's";
    problems.push({
      severity: "error",
      message: `${mode} sends the page's events to tracklet's collector, ${what}, but the config has no [collector] section; add one (the collector reads its settings there) and mount createCollector`,
    });
  }
  return problems;
}
