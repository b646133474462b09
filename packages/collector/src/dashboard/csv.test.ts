import { describe, expect, it } from "vitest";
import { csvCell, toCsv } from "./csv.js";

describe("csvCell", () => {
  it("quotes cells holding commas, quotes and line breaks, doubling inner quotes", () => {
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    expect(csvCell("cr\rhere")).toBe('"cr\rhere"');
    expect(csvCell("a;b")).toBe('"a;b"');
    expect(csvCell("a\tb")).toBe('"a\tb"');
    expect(csvCell("plain")).toBe("plain");
  });

  it.each(["=SUM(A1)", "+1", "-1+2", "@cmd", "\tx"])("prefixes %j so spreadsheets do not run it", (value) => {
    expect(csvCell(value).replace(/^"/, "").startsWith(`'${value[0]}`)).toBe(true);
  });

  // Each way a formula slipped past the first-character check: leading space, no-break space, a fullwidth
  // equals sign, and a semicolon that splits the cell for readers using `;` as separator.
  it.each([
    [" =1+1", "' =1+1"],
    ["\u00a0=1+1", "'\u00a0=1+1"],
    ["\uff1d1+1", "'\uff1d1+1"],
    ["\ufe661+1", "'\ufe661+1"],
    ["\uff0b1", "'\uff0b1"],
    ["\u200b=1+1", "'\u200b=1+1"],
    ["\u3000@SUM(A1)", "'\u3000@SUM(A1)"],
    ["\n-1+2", '"\'\n-1+2"'],
    [" \t=1", '"\' \t=1"'],
    ["x;=1+1", '"x;=1+1"'],
  ])("neutralises the bypass %j", (value, written) => {
    expect(csvCell(value)).toBe(written);
  });

  it("leaves text that merely contains formula characters alone", () => {
    expect(csvCell("a=b")).toBe("a=b");
    expect(csvCell("user@example.com")).toBe("user@example.com");
    expect(csvCell("x - y")).toBe("x - y");
  });

  it("quotes a neutralised formula that also holds a comma", () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
  });

  it("writes numbers as numbers (negative ones untouched) and null as empty", () => {
    expect(csvCell(1234)).toBe("1234");
    expect(csvCell(-3)).toBe("-3");
    expect(csvCell(Number.NaN)).toBe("");
    expect(csvCell(null)).toBe("");
    expect(csvCell(undefined)).toBe("");
  });
});

describe("toCsv", () => {
  it("writes a header and rows ended by CRLF", () => {
    expect(
      toCsv(
        ["Page", "Visitors"],
        [
          ["/a", 1],
          ["/b,c", 2],
        ],
      ),
    ).toBe('Page,Visitors\r\n/a,1\r\n"/b,c",2\r\n');
  });
  it("writes only the header when there are no rows", () => {
    expect(toCsv(["Term", "Searches"], [])).toBe("Term,Searches\r\n");
  });
});
