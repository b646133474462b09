// biome-ignore-all lint/suspicious/noTemplateCurlyInString: airflow.cfg values use ${VAR} references literally
import { describe, expect, it } from "vitest";
import { ExpansionError, expandEnv } from "./env-expansion.js";

describe("expandEnv", () => {
  const env = { A: "alpha", B: "$A-beta", HOME: "/home/u", EMPTY: "", LOOP: "x$LOOP", DATA: "p$NOT_SET" };

  it.each([
    ["${A}", "alpha"],
    ["$A/x", "alpha/x"],
    ["pre-${A}-post", "pre-alpha-post"],
    ["${B}", "alpha-beta"],
    ["~/cfg", "/home/u/cfg"],
    ["~", "/home/u"],
    ["a~b", "a~b"],
    ["cost $5 and $ and $$", "cost $5 and $ and $$"],
    ["${EMPTY}", ""],
    ["${DATA}", "p$NOT_SET"],
  ])("expands %j to %j", (input, expected) => {
    expect(expandEnv(input, env)).toBe(expected);
  });

  it("rejects an unset variable written in the value, naming it", () => {
    expect(() => expandEnv("${NOPE}", env)).toThrow("environment variable NOPE is not set");
    let caught: unknown;
    try {
      expandEnv("x $NOPE2", env);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ExpansionError);
    expect((caught as ExpansionError).variable).toBe("NOPE2");
  });

  it("rejects shell syntax it does not implement instead of leaving it as text", () => {
    expect(() => expandEnv("${A:-b}", env)).toThrow('unsupported reference "${A:-b}"');
  });

  it("stops a variable that keeps growing instead of looping forever", () => {
    expect(() => expandEnv("$LOOP", env)).toThrow("do not settle");
  });
});
