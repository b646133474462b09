import { describe, expect, it } from "vitest";
import { pathAllowed, trackedUrl } from "./url.js";
import { WIRE_LIMITS } from "./wire.js";

describe("trackedUrl", () => {
  it("masks token, email and password values and keeps every other byte", () => {
    expect(trackedUrl("https://a.test/p?q=shoes&token=abc&email=x%40y.z&password=hunter2&page=2", [])).toBe(
      "https://a.test/p?q=shoes&token=*&email=*&password=*&page=2",
    );
  });

  it("masks prefixed and case-variant names", () => {
    expect(
      trackedUrl("https://a.test/?access_token=1&User_Email=2&api-key=3&sessionid=4&utm_source=n", []),
    ).toBe("https://a.test/?access_token=*&User_Email=*&api-key=*&sessionid=*&utm_source=n");
  });

  it("masks extra names exactly", () => {
    expect(trackedUrl("https://a.test/?order_ref=9&order=1", ["order_ref"])).toBe(
      "https://a.test/?order_ref=*&order=1",
    );
  });

  it("drops the hash unless hash routing is on", () => {
    expect(trackedUrl("https://a.test/app#/users/1", [])).toBe("https://a.test/app");
    expect(trackedUrl("https://a.test/app#/users/1", [], true)).toBe("https://a.test/app#/users/1");
  });

  it("masks queries inside the hash in hash mode, including OAuth fragments", () => {
    expect(trackedUrl("https://a.test/#/reset?token=s3cret&x=1", [], true)).toBe(
      "https://a.test/#/reset?token=*&x=1",
    );
    expect(trackedUrl("https://a.test/cb#access_token=s3cret&state=1", [], true)).toBe(
      "https://a.test/cb#access_token=*&state=1",
    );
  });

  it("clips to the URL length limit", () => {
    expect(trackedUrl(`https://a.test/${"p".repeat(3000)}`, [])).toHaveLength(WIRE_LIMITS.maxUrlLength);
  });

  it("resolves relative URLs against the page", () => {
    expect(trackedUrl("/next?token=1", [])).toBe(new URL("/next?token=*", location.href).href);
  });
});

describe("pathAllowed", () => {
  it("allows everything without patterns", () => {
    expect(pathAllowed("/any/path", [], [])).toBe(true);
  });
  it("requires an include match when includes exist", () => {
    expect(pathAllowed("/app/settings", ["/app/*"], [])).toBe(true);
    expect(pathAllowed("/blog/post", ["/app/*"], [])).toBe(false);
  });
  it("excludes matches, with * matching across segments and the rest literal", () => {
    expect(pathAllowed("/admin/users/1", [], ["/admin*"])).toBe(false);
    expect(pathAllowed("/administrator", [], ["/admin"])).toBe(true);
    expect(pathAllowed("/a.b", [], ["/a.c"])).toBe(true);
  });
});
