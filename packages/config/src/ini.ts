/**
 * An airflow.cfg reader with the semantics of Python's `configparser.ConfigParser` as Airflow configures it
 * (delimiters `=`/`:`, full-line `#`/`;` comments, no inline comments, indented continuation lines,
 * `[DEFAULT]` inheritance, strict duplicates, BasicInterpolation applied on demand).
 *
 * Deviation: section and option names are case-insensitive (stored lower-case). Airflow preserves the case of
 * option names in the file and looks them up lower-case, so it only finds lower-case keys.
 */

import { ConfigError } from "./config-error.js";

/** One `key = value` entry with the line of its key. */
export interface IniValue {
  /** Option name as written in the file. */
  name: string;
  /** Raw value: trimmed, continuation lines joined with `\n`, no interpolation applied. */
  raw: string;
  /** 1-based line of the `key = value` line. */
  line: number;
}

export interface IniSection {
  /** Section name as written (first occurrence). */
  name: string;
  line: number;
  /** Options keyed by lower-case name, in file order. */
  options: Map<string, IniValue>;
}

export interface IniDocument {
  file: string;
  /** `[DEFAULT]` options, inherited by every section. */
  defaults: Map<string, IniValue>;
  /** Sections keyed by lower-case name (`default` is not among them). */
  sections: Map<string, IniSection>;
}

/** A syntax problem in an ini file, with its 1-based line. */
export interface IniProblem {
  line: number;
  message: string;
}

/** Thrown by {@link parseIni} with every syntax problem in the file, each as a `file:line` issue. */
export class IniSyntaxError extends ConfigError {
  override name = "IniSyntaxError";
  readonly file: string;
  readonly problems: IniProblem[];
  constructor(file: string, problems: IniProblem[]) {
    super(problems.map((p) => ({ severity: "error", where: `${file}:${p.line}`, message: p.message })));
    this.file = file;
    this.problems = problems;
  }
}

const SECTION_HEADER = /^\[(.+)\]$/;
const OPTION_LINE = /^(.*?)\s*[=:]\s*(.*)$/;
const DEFAULT_SECTION = "default";

/** Python's str.strip() whitespace, close enough for config files. */
function indentOf(line: string): number {
  const match = /^[ \t\f\v]*/.exec(line);
  return match ? match[0].length : 0;
}

function describeLine(line: string): string {
  const shown = line.trim();
  return JSON.stringify(shown.length > 60 ? `${shown.slice(0, 57)}...` : shown);
}

/** Reads one file line by line; `problems` collects every syntax error instead of stopping at the first. */
class IniReader {
  readonly problems: IniProblem[] = [];
  /** Options of the section being read; `null` before the first header or under a broken one. */
  private current: Map<string, IniValue> | null = null;
  private currentName = "";
  /** The option whose value continuation lines extend, and the value lines collected so far. */
  private open: { value: IniValue; parts: string[] } | null = null;
  private keyIndent = Number.POSITIVE_INFINITY;
  /** First line of each section (`[name]`) and option (`section\0option`), for duplicate messages. */
  private readonly firstLines = new Map<string, number>();
  private anyHeader = false;

  constructor(private readonly doc: IniDocument) {}

  read(line: string, lineNo: number): void {
    const stripped = line.trim();
    const isComment = stripped.startsWith("#") || stripped.startsWith(";");
    if (stripped === "" || isComment) {
      // Blank lines inside a value are kept (empty_lines_in_values); comment lines are skipped.
      if (stripped === "" && this.open) this.open.parts.push("");
      return;
    }
    const indent = indentOf(line);
    if (this.open && indent > this.keyIndent) {
      this.open.parts.push(stripped);
      return;
    }
    this.close();
    this.keyIndent = indent;
    if (stripped.startsWith("[")) {
      this.anyHeader = true;
      this.header(stripped, line, lineNo);
    } else {
      this.option(stripped, line, lineNo);
    }
  }

  /** Ends the value being read: continuation lines joined with `\n`, trailing blank lines dropped. */
  close(): void {
    if (this.open) {
      this.open.value.raw = this.open.parts.join("\n").replace(/\s+$/, "");
      this.open = null;
    }
  }

  private header(stripped: string, line: string, lineNo: number): void {
    const header = SECTION_HEADER.exec(stripped);
    if (!header) {
      this.problems.push({ line: lineNo, message: `malformed section header ${describeLine(line)}` });
      this.current = null;
      return;
    }
    const name = (header[1] ?? "").trim();
    const key = name.toLowerCase();
    const seen = this.firstLines.get(`[${key}]`);
    if (seen !== undefined) {
      this.problems.push({
        line: lineNo,
        message: `duplicate section [${name}] (first defined on line ${seen})`,
      });
      this.current = null;
      return;
    }
    this.firstLines.set(`[${key}]`, lineNo);
    this.currentName = key;
    if (key === DEFAULT_SECTION) {
      this.current = this.doc.defaults;
    } else {
      const section: IniSection = { name, line: lineNo, options: new Map() };
      this.doc.sections.set(key, section);
      this.current = section.options;
    }
  }

  private option(stripped: string, line: string, lineNo: number): void {
    const option = OPTION_LINE.exec(stripped);
    if (!option || (option[1] ?? "") === "") {
      this.problems.push({
        line: lineNo,
        message: option
          ? `missing option name before the delimiter in ${describeLine(line)}`
          : `expected "[section]", "key = value" or a "#"/";" comment; found ${describeLine(line)}`,
      });
      return;
    }
    if (this.current === null) {
      if (!this.anyHeader) {
        this.problems.push({ line: lineNo, message: "option before the first [section] header" });
      }
      // Options under a broken or duplicate header were already reported through the header.
      return;
    }
    const name = option[1] ?? "";
    const key = name.toLowerCase();
    const firstKey = `${this.currentName}\u0000${key}`;
    const seen = this.firstLines.get(firstKey);
    if (seen !== undefined) {
      this.problems.push({
        line: lineNo,
        message: `duplicate option "${key}" in [${this.currentName}] (first defined on line ${seen})`,
      });
      return;
    }
    this.firstLines.set(firstKey, lineNo);
    const value: IniValue = { name, raw: "", line: lineNo };
    this.current.set(key, value);
    this.open = { value, parts: [option[2] ?? ""] };
  }
}

/**
 * Parse ini text. Every syntax problem is collected and thrown together as an {@link IniSyntaxError}.
 * Values are returned raw; call {@link interpolate} for the ones you use.
 */
export function parseIni(text: string, options: { file?: string } = {}): IniDocument {
  const file = options.file ?? "<string>";
  const doc: IniDocument = { file, defaults: new Map(), sections: new Map() };
  const reader = new IniReader(doc);
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/);
  lines.forEach((line, index) => {
    reader.read(line, index + 1);
  });
  reader.close();
  if (reader.problems.length > 0) throw new IniSyntaxError(file, reader.problems);
  return doc;
}

/** Look an option up in a section, falling back to `[DEFAULT]` like ConfigParser does. */
export function lookup(doc: IniDocument, section: string, option: string): IniValue | undefined {
  const key = option.toLowerCase();
  return doc.sections.get(section.toLowerCase())?.options.get(key) ?? doc.defaults.get(key);
}

/** Thrown by {@link interpolate}; `message` never contains the value itself. */
export class InterpolationError extends Error {
  override name = "InterpolationError";
}

const MAX_INTERPOLATION_DEPTH = 10;

/**
 * Apply ConfigParser's BasicInterpolation to `value`: `%%` → `%`, `%(name)s` → the (interpolated) value of
 * `name` in `section` or `[DEFAULT]`. A `%` followed by anything else is an error.
 */
export function interpolate(doc: IniDocument, section: string, value: string, depth = 0): string {
  if (!value.includes("%")) return value;
  if (depth >= MAX_INTERPOLATION_DEPTH) {
    throw new InterpolationError(`%(...)s references nest deeper than ${MAX_INTERPOLATION_DEPTH} levels`);
  }
  let out = "";
  let rest = value;
  for (;;) {
    const at = rest.indexOf("%");
    if (at < 0) return out + rest;
    out += rest.slice(0, at);
    const next = rest[at + 1];
    if (next === "%") {
      out += "%";
      rest = rest.slice(at + 2);
      continue;
    }
    if (next === "(") {
      const ref = /^%\(([^)]*)\)s/.exec(rest.slice(at));
      if (!ref)
        throw new InterpolationError(
          `bad interpolation syntax near "%(": write "%(name)s", or "%%" for a literal "%"`,
        );
      const name = ref[1] ?? "";
      const target = lookup(doc, section, name);
      if (!target) {
        throw new InterpolationError(
          `"%(${name})s" refers to option "${name.toLowerCase()}", which is not set in [${section}] or [DEFAULT]`,
        );
      }
      out += interpolate(doc, section, target.raw, depth + 1);
      rest = rest.slice(at + ref[0].length);
      continue;
    }
    throw new InterpolationError(`a lone "%" must be written "%%" (or used as "%(name)s")`);
  }
}
