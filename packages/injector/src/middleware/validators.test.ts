import { describe, expect, it } from "vitest";
import { taggedEtag, untagIfNoneMatch } from "./validators.js";

describe("ETag tagging", () => {
  it("tags strong and weak ETags as weak, and leaves a malformed one untagged", () => {
    expect(taggedEtag('"abc"', "-t1")).toBe('W/"abc-t1"');
    expect(taggedEtag('W/"abc"', "-t1")).toBe('W/"abc-t1"');
    expect(taggedEtag("abc", "-t1")).toBeUndefined();
  });

  it("untags only entries carrying the current tag", () => {
    expect(untagIfNoneMatch('W/"abc-t1", "zzz", W/"old-t0"', "-t1")).toBe('W/"abc", "zzz", W/"old-t0"');
    expect(untagIfNoneMatch('"zzz"', "-t1")).toBeUndefined();
  });
});
