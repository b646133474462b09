import { describe, expect, it } from "vitest";
import {
  hasSpaceOrControl,
  isRootRelativePath,
  isUnsetWord,
  parseBoolean,
  parseHttpUrl,
  parseList,
  parsePositiveInteger,
} from "./values.js";

describe("parseBoolean", () => {
  it.each(["True", "true", "YES", "on", "1", "t", " T "])("reads %j as true", (text) => {
    expect(parseBoolean(text)).toBe(true);
  });
  it.each(["False", "no", "OFF", "0", "f"])("reads %j as false", (text) => {
    expect(parseBoolean(text)).toBe(false);
  });
  it.each(["", "maybe", "2", "truee"])("rejects %j", (text) => {
    expect(parseBoolean(text)).toBeUndefined();
  });
});

describe("parsePositiveInteger", () => {
  it("reads digits from 1 up to the limit", () => {
    expect(parsePositiveInteger("1")).toBe(1);
    expect(parsePositiveInteger("9007199254740991")).toBe(Number.MAX_SAFE_INTEGER);
    expect(parsePositiveInteger("2147483647", 2_147_483_647)).toBe(2_147_483_647);
  });
  it.each(["0", "-1", "1.5", "1e3", " 1", "", "9007199254740992"])("rejects %j", (text) => {
    expect(parsePositiveInteger(text)).toBeUndefined();
  });
  it("rejects values above the given limit", () => {
    expect(parsePositiveInteger("2147483648", 2_147_483_647)).toBeUndefined();
  });
});

describe("parseList", () => {
  it("splits on commas and newlines, trims and drops empty items", () => {
    expect(parseList(" a, b ,,\nc\n")).toEqual(["a", "b", "c"]);
    expect(parseList("")).toEqual([]);
  });
});

describe("isUnsetWord", () => {
  it("treats empty and None as unset, nothing else", () => {
    expect(isUnsetWord("")).toBe(true);
    expect(isUnsetWord("None")).toBe(true);
    expect(isUnsetWord("none")).toBe(false);
    expect(isUnsetWord("0")).toBe(false);
  });
});

describe("parseHttpUrl", () => {
  it("accepts absolute http(s) URLs", () => {
    const parsed = parseHttpUrl("https://example.com:8443/x?y=1");
    expect("url" in parsed && parsed.url.port).toBe("8443");
  });
  it.each([
    ["/relative", "it is not an absolute URL"],
    ["ftp://example.com/", 'the scheme is "ftp:"'],
    ["https://example.com:abc/", "the port must be a number"],
    ["https://exa mple.com/", "it contains whitespace or control characters"],
  ])("rejects %j: %s", (text, reason) => {
    expect(parseHttpUrl(text)).toEqual({ reason });
  });
});

describe("isRootRelativePath", () => {
  it("accepts /path and rejects //host, relative paths and whitespace", () => {
    expect(isRootRelativePath("/tracklet/collect")).toBe(true);
    expect(isRootRelativePath("//evil.example/x")).toBe(false);
    expect(isRootRelativePath("tracklet")).toBe(false);
    expect(isRootRelativePath("/a b")).toBe(false);
    expect(isRootRelativePath("/a\\b")).toBe(false);
  });
});

describe("hasSpaceOrControl", () => {
  it("finds spaces, controls and DEL", () => {
    expect(hasSpaceOrControl("abc")).toBe(false);
    expect(hasSpaceOrControl("a\tb")).toBe(true);
    expect(hasSpaceOrControl("a\u007fb")).toBe(true);
    expect(hasSpaceOrControl("a\u00a0b")).toBe(true);
  });
});
