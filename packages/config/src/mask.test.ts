import { describe, expect, it } from "vitest";
import { maskSecret, maskUrlCredentials } from "./mask.js";

describe("maskSecret", () => {
  it("shows two characters of long secrets and the length of every secret", () => {
    expect(maskSecret("abcdefghijklmnopqrstuvwxyz012345")).toBe("ab…(32 chars)");
    expect(maskSecret("short")).toBe("…(5 chars)");
    expect(maskSecret("")).toBe("…(0 chars)");
  });
});

describe("maskUrlCredentials", () => {
  it("replaces the user and password of a URL", () => {
    expect(maskUrlCredentials("postgres://user:pw@db:5432/x")).toBe("postgres://***@db:5432/x");
    expect(maskUrlCredentials("https://example.com/a@b")).toBe("https://example.com/a@b");
    expect(maskUrlCredentials("not a url")).toBe("not a url");
  });
});
