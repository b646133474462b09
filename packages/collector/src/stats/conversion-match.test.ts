import { describe, expect, it } from "vitest";
import { describeMatch, parseConversionMatch, splitSteps } from "./conversion-match.js";

describe("parseConversionMatch", () => {
  it("reads events with props, quoted names and page patterns", () => {
    expect(parseConversionMatch("event:Signup")).toEqual({ kind: "event", name: "Signup", props: {} });
    expect(parseConversionMatch(" event:Signup plan=pro  seats=10 ")).toEqual({
      kind: "event",
      name: "Signup",
      props: { plan: "pro", seats: "10" },
    });
    expect(parseConversionMatch('event:"Sign up" plan="pro plus"')).toEqual({
      kind: "event",
      name: "Sign up",
      props: { plan: "pro plus" },
    });
    expect(parseConversionMatch("page:/pricing*")).toEqual({ kind: "page", path: "/pricing*" });
    expect(parseConversionMatch("page:*/edit")).toEqual({ kind: "page", path: "*/edit" });
  });

  it("says what is wrong with a bad definition", () => {
    const error = (text: string) => {
      const r = parseConversionMatch(text);
      return "error" in r ? r.error : "parsed";
    };
    expect(error("click:Signup")).toBe(
      'expected event:<name> [key=value …] or page:/<path>, got "click:Signup"',
    );
    expect(error("page:pricing")).toBe('a page path starts with / (got "pricing")');
    expect(error("page:/a b")).toBe('a page path has no spaces (got "/a b")');
    expect(error("event:")).toBe("an event name follows event:");
    expect(error('event:"Sign up')).toBe('a quote opened at "\\"Sign up" is not closed');
    expect(error("event:Signup plan")).toMatch(/^expected key=value after the event name/);
    expect(error("event:Signup $.x=1")).toMatch(/keys are letters, digits and _/);
    expect(error("event:Signup plan=a plan=b")).toBe("the prop plan is given twice");
  });

  it("writes a match back as the config has it", () => {
    for (const text of [
      "event:Signup",
      "event:Signup plan=pro",
      'event:"Sign up" plan="pro plus"',
      "page:/a*",
    ]) {
      const m = parseConversionMatch(text);
      if ("error" in m) throw new Error(m.error);
      expect(describeMatch(m)).toBe(text);
    }
  });

  it("splits funnel steps on commas outside quotes", () => {
    expect(splitSteps('page:/cart, event:"Pay, now" ,event:Done')).toEqual([
      "page:/cart",
      'event:"Pay, now"',
      "event:Done",
    ]);
  });
});
