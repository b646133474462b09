import { parseConversionMatch } from "../src/stats/conversion-match.js";
import type { ConversionMatch, FunnelDefinition, GoalDefinition } from "../src/stats/types.js";

function step(text: string): ConversionMatch {
  const m = parseConversionMatch(text);
  if ("error" in m) throw new Error(m.error);
  return m;
}

/** Goals over the random events' paths (`/é`, `/c?x` with a literal `?`), names and props. */
export const TEST_GOALS: GoalDefinition[] = [
  "event:signup",
  "event:signup plan=pro",
  "event:Download",
  "event:search",
  "page:/a",
  "page:/*",
  "page:*b",
  "page:/c?x",
  "page:/é",
  "event:nothing",
].map((text, i) => ({ name: `g${i}`, match: step(text) }));

export const TEST_FUNNELS: FunnelDefinition[] = [
  ["page:/", "page:/a", "event:signup"],
  ["page:/*", "event:Download", "page:/b", "event:signup plan=pro"],
  // The same step twice takes two events; an event matching two steps counts for one.
  ["page:/a", "page:/a"],
  ["event:signup", "event:signup plan=pro"],
  [
    "event:search",
    "page:/*",
    "event:search",
    "page:/*",
    "event:search",
    "page:/*",
    "event:search",
    "page:/*",
  ],
].map((steps, i) => ({ name: `f${i}`, steps: steps.map(step) }));
