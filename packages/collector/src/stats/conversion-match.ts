import type { ConversionMatch } from "./types.js";

/** Prop keys a goal may filter on: they are spliced into JSON paths, so only plain words. */
const PROP_KEY = /^[A-Za-z0-9_]+$/;

/** A token: a run of non-space characters, or text in double quotes (for names with spaces). */
function readToken(text: string, start: number): { token: string; end: number } | { error: string } {
  if (text[start] === '"') {
    const close = text.indexOf('"', start + 1);
    if (close < 0) return { error: `a quote opened at ${JSON.stringify(text.slice(start))} is not closed` };
    return { token: text.slice(start + 1, close), end: close + 1 };
  }
  let end = start;
  while (end < text.length && !/\s/.test(text[end] as string)) end++;
  return { token: text.slice(start, end), end };
}

function parseProps(text: string): { props: Record<string, string> } | { error: string } {
  const props: Record<string, string> = {};
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i] as string)) i++;
    if (i >= text.length) break;
    const eq = text.indexOf("=", i);
    const key = eq < 0 ? "" : text.slice(i, eq);
    if (eq < 0 || !PROP_KEY.test(key)) {
      return {
        error: `expected key=value after the event name (keys are letters, digits and _), got ${JSON.stringify(text.slice(i))}`,
      };
    }
    if (key in props) return { error: `the prop ${key} is given twice` };
    const value = readToken(text, eq + 1);
    if ("error" in value) return value;
    props[key] = value.token;
    i = value.end;
  }
  return { props };
}

/**
 * Parses one goal or funnel step: `event:Signup`, `event:Signup plan=pro` (props must all be equal),
 * `event:"Sign up"`, `page:/pricing` or `page:/docs/*` (`*` stands for any characters).
 */
export function parseConversionMatch(text: string): ConversionMatch | { error: string } {
  const t = text.trim();
  if (t.startsWith("page:")) {
    const path = t.slice(5).trim();
    if (!path.startsWith("/") && !path.startsWith("*"))
      return { error: `a page path starts with / (got ${JSON.stringify(path)})` };
    if (/\s/.test(path)) return { error: `a page path has no spaces (got ${JSON.stringify(path)})` };
    return { kind: "page", path };
  }
  if (t.startsWith("event:")) {
    const name = readToken(t, 6);
    if ("error" in name) return name;
    if (name.token === "") return { error: "an event name follows event:" };
    const parsed = parseProps(t.slice(name.end));
    if ("error" in parsed) return parsed;
    return { kind: "event", name: name.token, props: parsed.props };
  }
  return { error: `expected event:<name> [key=value …] or page:/<path>, got ${JSON.stringify(t)}` };
}

function quoteIfSpaced(text: string): string {
  return /[\s"]/.test(text) || text === "" ? `"${text}"` : text;
}

/** The match as it is written in the config (`event:Signup plan=pro`, `page:/pricing*`). */
export function describeMatch(match: ConversionMatch): string {
  if (match.kind === "page") return `page:${match.path}`;
  const props = Object.entries(match.props).map(([k, v]) => ` ${k}=${quoteIfSpaced(v)}`);
  return `event:${quoteIfSpaced(match.name)}${props.join("")}`;
}

/** Splits a funnel's steps on commas outside double quotes. */
export function splitSteps(text: string): string[] {
  const steps: string[] = [];
  let quoted = false;
  let current = "";
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    if (ch === "," && !quoted) {
      steps.push(current.trim());
      current = "";
    } else current += ch;
  }
  steps.push(current.trim());
  return steps;
}
