import { describe, expect, it } from "vitest";
import {
  listItems,
  parseExtensionList,
  parseParameterList,
  parsePathList,
  parseTrackList,
} from "./sdk-lists.js";

describe("listItems", () => {
  it("splits at commas, newlines and spaces, dropping empty items and duplicates", () => {
    expect(listItems(" outbound, downloads\n tagged  engagement,,outbound ")).toEqual([
      "outbound",
      "downloads",
      "tagged",
      "engagement",
    ]);
  });
});

describe("parseTrackList", () => {
  it("reads the tracked features in any case", () => {
    expect(parseTrackList("Outbound, DOWNLOADS")).toEqual({ items: ["outbound", "downloads"], bad: [] });
  });

  it("reads none as pageviews only", () => {
    expect(parseTrackList("none")).toEqual({ items: [], bad: [] });
  });

  it("refuses none beside a feature", () => {
    expect(parseTrackList("none, outbound").bad).toEqual([
      expect.objectContaining({ item: "none", hint: `"none" means pageviews only: write it alone` }),
    ]);
  });

  it("suggests the closest feature for each misspelt item", () => {
    const { bad } = parseTrackList("download, outbund, clicks");
    expect(bad.map((b) => [b.item, b.suggestion])).toEqual([
      ["download", "downloads"],
      ["outbund", "outbound"],
      ["clicks", undefined],
    ]);
  });
});

describe("parseExtensionList", () => {
  it("accepts extensions with inner dots", () => {
    expect(parseExtensionList("pdf, tar.gz, 7z")).toEqual({ items: ["pdf", "tar.gz", "7z"], bad: [] });
  });

  it("suggests the extension without its leading dot or *.", () => {
    expect(parseExtensionList(".pdf *.zip").bad.map((b) => b.suggestion)).toEqual(["pdf", "zip"]);
  });

  it("refuses what would not be a plain pattern", () => {
    expect(parseExtensionList("c++, a|b").bad.map((b) => b.item)).toEqual(["c++", "a|b"]);
  });
});

describe("parsePathList", () => {
  it("accepts path patterns with wildcards", () => {
    expect(parsePathList("/blog/*, /docs/**/print, /")).toEqual({
      items: ["/blog/*", "/docs/**/print", "/"],
      bad: [],
    });
  });

  it('suggests a leading "/" and the path of a whole URL', () => {
    expect(parsePathList("blog/*, https://example.com/admin/*").bad.map((b) => b.suggestion)).toEqual([
      "/blog/*",
      "/admin/*",
    ]);
  });

  it("refuses characters a URL path does not hold", () => {
    const { bad } = parsePathList('/caf\u00e9, /a"b');
    expect(bad.map((b) => [b.item, b.suggestion])).toEqual([
      ["/caf\u00e9", undefined],
      ['/a"b', undefined],
    ]);
  });
});

describe("parseParameterList", () => {
  it("accepts parameter names", () => {
    expect(parseParameterList("ref, utm_source, filter[q], a.b")).toEqual({
      items: ["ref", "utm_source", "filter[q]", "a.b"],
      bad: [],
    });
  });

  it("suggests the name of a name=value pair", () => {
    expect(parseParameterList("ref=abc").bad).toEqual([
      expect.objectContaining({ item: "ref=abc", suggestion: "ref" }),
    ]);
  });

  it("refuses markup and separators", () => {
    expect(parseParameterList("<b>, a#b").bad.map((b) => b.item)).toEqual(["<b>", "a#b"]);
  });
});
