import { describe, expect, it } from "vitest";
import { ConfigError } from "./config-error.js";
import { IniSyntaxError, InterpolationError, interpolate, lookup, parseIni } from "./ini.js";

function value(text: string, section: string, option: string): string | undefined {
  return lookup(parseIni(text, { file: "t.cfg" }), section, option)?.raw;
}

function syntaxError(text: string): IniSyntaxError {
  try {
    parseIni(text, { file: "t.cfg" });
  } catch (error) {
    if (error instanceof IniSyntaxError) return error;
    throw error;
  }
  throw new Error("expected a syntax error");
}

describe("parseIni", () => {
  it.each([
    ["key = value", "value"],
    ["key=value", "value"],
    ["key: value", "value"],
    ["key = a = b", "a = b"],
    ["key : a = b", "a = b"],
    ["key = http://host:8080/x", "http://host:8080/x"],
    ["key =   padded   ", "padded"],
    ["key =", ""],
    ["key = google_analytics # not a comment", "google_analytics # not a comment"],
    ["key = a ; b", "a ; b"],
    ["key = #fff", "#fff"],
  ])("reads %j as %j (first delimiter splits, no inline comments)", (line, expected) => {
    expect(value(`[s]\n${line}\n`, "s", "key")).toBe(expected);
  });

  it("treats section and option names case-insensitively", () => {
    const doc = parseIni("[WebServer]\nAnalytics_Tool = segment\n", { file: "t.cfg" });
    expect(lookup(doc, "webserver", "analytics_tool")?.raw).toBe("segment");
    expect(lookup(doc, "WEBSERVER", "ANALYTICS_TOOL")?.name).toBe("Analytics_Tool");
  });

  it("skips full-line # and ; comments, also indented ones", () => {
    const doc = parseIni("# top\n[s]\n; semi\n  # indented\na = 1\n\t; tabbed\nb = 2\n", { file: "t.cfg" });
    expect(lookup(doc, "s", "a")?.raw).toBe("1");
    expect(lookup(doc, "s", "b")?.raw).toBe("2");
  });

  it("joins indented continuation lines with \\n, keeps inner blank lines and trims trailing ones", () => {
    const text = "[s]\nmulti = line1\n   line2\n\n   line4\n\n\nnext = x\n";
    expect(value(text, "s", "multi")).toBe("line1\nline2\n\nline4");
    expect(value(text, "s", "next")).toBe("x");
  });

  it("skips a comment line inside a continued value", () => {
    expect(value("[s]\nm = a\n  # note\n  b\n", "s", "m")).toBe("a\nb");
  });

  it("continues a value only with lines indented deeper than its key", () => {
    const text = "[s]\n  a = 1\n  b = 2\n    c = 3\n";
    expect(value(text, "s", "a")).toBe("1");
    expect(value(text, "s", "b")).toBe("2\nc = 3");
  });

  it("inherits [DEFAULT] values in every section, section values win", () => {
    const text = "[DEFAULT]\nhome = /opt\ntool = segment\n[webserver]\ntool = matomo\n[other]\n";
    expect(value(text, "webserver", "home")).toBe("/opt");
    expect(value(text, "other", "tool")).toBe("segment");
    expect(value(text, "webserver", "tool")).toBe("matomo");
  });

  it("keeps the line number of every value", () => {
    const doc = parseIni("\n# c\n[s]\na = 1\n\nb = 2\n  more\n", { file: "t.cfg" });
    expect(lookup(doc, "s", "a")?.line).toBe(4);
    expect(lookup(doc, "s", "b")?.line).toBe(6);
  });

  it("accepts CRLF line endings and a UTF-8 BOM", () => {
    expect(value("\uFEFF[s]\r\na = 1\r\nb = 2\r\n", "s", "b")).toBe("2");
  });

  it("reports syntax problems as a ConfigError with one file:line issue each", () => {
    const error = syntaxError("[s]\nnot an option\n[broken\n");
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.issues.map((issue) => issue.where)).toEqual(["t.cfg:2", "t.cfg:3"]);
    expect(error.issues.every((issue) => issue.severity === "error")).toBe(true);
  });

  it("reports a duplicate option with both lines", () => {
    const error = syntaxError("[s]\na = 1\nA = 2\n");
    expect(error.message).toBe('t.cfg:3: duplicate option "a" in [s] (first defined on line 2)');
  });

  it("reports a duplicate section (any case) with both lines", () => {
    const error = syntaxError("[s]\na = 1\n[S]\nb = 2\n");
    expect(error.message).toBe("t.cfg:3: duplicate section [S] (first defined on line 1)");
  });

  it("reports a line that is neither a header, an option nor a comment, with file:line", () => {
    const error = syntaxError("[s]\na = 1\njustakey\n");
    expect(error.message).toContain("t.cfg:3:");
    expect(error.message).toContain('"justakey"');
  });

  it("reports options before any section header and malformed headers", () => {
    expect(syntaxError("a = 1\n[s]\n").message).toBe("t.cfg:1: option before the first [section] header");
    expect(syntaxError("[s\na = 1\n").message).toContain('t.cfg:1: malformed section header "[s"');
  });

  it("collects every syntax problem, not only the first", () => {
    const error = syntaxError("[s]\nbad one\na = 1\na = 2\nbad two\n");
    expect(error.problems.map((p) => p.line)).toEqual([2, 4, 5]);
  });

  it("keeps %, {{ }} and # in values raw; parsing never interprets them", () => {
    const text = "[logging]\nlog_format = [%%(asctime)s] %%(message)s\nbanner = 5% {{ ti.dag_id }}\n";
    expect(value(text, "logging", "log_format")).toBe("[%%(asctime)s] %%(message)s");
    expect(value(text, "logging", "banner")).toBe("5% {{ ti.dag_id }}");
  });
});

describe("interpolate (BasicInterpolation)", () => {
  const doc = parseIni(
    "[DEFAULT]\nhost = example.com\n[s]\nbase = https://%(host)s\nurl = %(base)s/x\nloop = %(loop)s\n",
    {
      file: "t.cfg",
    },
  );

  it("turns %% into % and resolves %(name)s in the section and [DEFAULT], recursively", () => {
    expect(interpolate(doc, "s", "100%%")).toBe("100%");
    expect(interpolate(doc, "s", "%(url)s?q=1")).toBe("https://example.com/x?q=1");
  });

  it.each([
    ["5%", 'a lone "%"'],
    ["%(missing)s", '"%(missing)s" refers to option "missing"'],
    ["%(unclosed", "bad interpolation syntax"],
    ["%(loop)s", "nest deeper"],
  ])("rejects %j", (text, message) => {
    expect(() => interpolate(doc, "s", text)).toThrow(InterpolationError);
    expect(() => interpolate(doc, "s", text)).toThrow(message);
  });
});
