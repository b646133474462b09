import { describe, expect, it } from "vitest";
import { didYouMean, editDistance } from "./did-you-mean.js";

describe("editDistance", () => {
  it("counts insertions, deletions, substitutions and adjacent swaps as one edit each", () => {
    expect(editDistance("analytics_tool", "analytics_tool")).toBe(0);
    expect(editDistance("analytics_tol", "analytics_tool")).toBe(1);
    expect(editDistance("anayltics_tool", "analytics_tool")).toBe(1);
    expect(editDistance("analytics_toal", "analytics_tool")).toBe(1);
    expect(editDistance("", "abc")).toBe(3);
  });
});

describe("didYouMean", () => {
  const options = ["analytics_tool", "analytics_id", "retention_days"];

  it("suggests the closest candidate, ignoring case", () => {
    expect(didYouMean("Analytics_Tol", options)).toBe("analytics_tool");
    expect(didYouMean("retension_days", options)).toBe("retention_days");
  });

  it("suggests nothing when every candidate is too far away", () => {
    expect(didYouMean("store", options)).toBeUndefined();
    expect(didYouMean("analytics_tool_x", options, 1)).toBeUndefined();
  });
});
