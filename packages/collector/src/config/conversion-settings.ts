import { type ConfigIssue, type IniDocument, parseIni } from "@tracklet/config";
import { parseConversionMatch, splitSteps } from "../stats/conversion-match.js";
import type { ConversionMatch, FunnelDefinition, GoalDefinition } from "../stats/types.js";

export const GOALS_SECTION = "goals";
export const FUNNELS_SECTION = "funnels";
export const MIN_FUNNEL_STEPS = 2;
export const MAX_FUNNEL_STEPS = 8;

/** Goals and funnels in code: name → definition, in the config file's syntax. */
export interface ConversionOptions {
  goals?: Record<string, string>;
  /** Steps as one comma-separated string or as a list. */
  funnels?: Record<string, string | string[]>;
}

export interface ConversionSettings {
  goals: GoalDefinition[];
  funnels: FunnelDefinition[];
}

/** One definition: its name, text and where it was set. */
interface Entry {
  name: string;
  text: string | string[];
  where: string;
}

/**
 * Goals from `options.goals`, else the `[goals]` section; funnels likewise. Bad definitions are `issues`
 * naming `file:line` (or `option goals.<name>`).
 */
export function resolveConversionSettings(
  text: string | null,
  file: string,
  options: ConversionOptions,
  issues: ConfigIssue[],
): ConversionSettings {
  const doc = text === null ? null : parseIni(text, { file });
  const goalEntries = options.goals
    ? fromOptions("goals", options.goals)
    : fromSection(doc, GOALS_SECTION, file);
  const funnelEntries = options.funnels
    ? fromOptions("funnels", options.funnels)
    : fromSection(doc, FUNNELS_SECTION, file);
  const goals: GoalDefinition[] = [];
  for (const entry of goalEntries) {
    const match = parseConversionMatch(Array.isArray(entry.text) ? entry.text.join(" ") : entry.text);
    if ("error" in match) issues.push(issue(entry, GOALS_SECTION, `goal ${entry.name}: ${match.error}`));
    else goals.push({ name: entry.name, match });
  }
  const funnels: FunnelDefinition[] = [];
  for (const entry of funnelEntries) {
    const funnel = parseFunnel(entry);
    if ("error" in funnel) issues.push(issue(entry, FUNNELS_SECTION, funnel.error));
    else funnels.push(funnel);
  }
  return { goals, funnels };
}

function parseFunnel(entry: Entry): FunnelDefinition | { error: string } {
  const texts = Array.isArray(entry.text) ? entry.text : splitSteps(entry.text);
  if (texts.length < MIN_FUNNEL_STEPS || texts.length > MAX_FUNNEL_STEPS) {
    return {
      error: `funnel ${entry.name} has ${texts.length} step${texts.length === 1 ? "" : "s"}; a funnel has ${MIN_FUNNEL_STEPS} to ${MAX_FUNNEL_STEPS}, separated by commas`,
    };
  }
  const steps: ConversionMatch[] = [];
  for (const [i, stepText] of texts.entries()) {
    const step = parseConversionMatch(stepText);
    if ("error" in step) return { error: `funnel ${entry.name}, step ${i + 1}: ${step.error}` };
    steps.push(step);
  }
  return { name: entry.name, steps };
}

function issue(entry: Entry, section: string, message: string): ConfigIssue {
  return { severity: "error", where: entry.where, option: `${section}.${entry.name}`, message };
}

function fromOptions(section: string, values: Record<string, string | string[]>): Entry[] {
  return Object.entries(values).map(([name, text]) => ({ name, text, where: `option ${section}.${name}` }));
}

/** The section's own options (not `[DEFAULT]`'s: those are not goals), with the names as written. */
function fromSection(doc: IniDocument | null, section: string, file: string): Entry[] {
  const options = doc?.sections.get(section)?.options ?? new Map();
  return [...options.values()].map((value) => ({
    name: value.name,
    text: value.raw,
    where: `${file}:${value.line}`,
  }));
}
