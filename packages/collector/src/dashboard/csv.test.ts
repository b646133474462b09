import { describe, expect, it } from "vitest";
import { csvCell, toCsv } from "./csv.js";

describe("csvCell", () => {
  it("quotes cells holding commas, quotes and line breaks, doubling inner quotes", () => {
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    expect(csvCell("cr\rhere")).toBe('"cr\rhere"');
    expect(csvCell("plain")).toBe("plain");
  });

  it.each(["=SUM(A1)", "+1", "-1+2", "@cmd", "\tx"])("prefixes %j so spreadsheets do not run it", (value) => {
    expect(csvCell(value).replace(/^"/, "").startsWith(`'${value[0]}`)).toBe(true);
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
