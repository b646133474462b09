import { describe, expect, it } from "vitest";
import { primaryLocale } from "./locale.js";

describe("primaryLocale", () => {
  it("takes the first language tag of Accept-Language", () => {
    expect(primaryLocale("en-US,en;q=0.9,de;q=0.8")).toBe("en-US");
    expect(primaryLocale("de;q=0.9")).toBe("de");
    expect(primaryLocale(" fr-CA ")).toBe("fr-CA");
  });

  it("answers null for an absent header, a wildcard or garbage", () => {
    expect(primaryLocale(undefined)).toBeNull();
    expect(primaryLocale("")).toBeNull();
    expect(primaryLocale("*")).toBeNull();
    expect(primaryLocale("<script>")).toBeNull();
  });
});
