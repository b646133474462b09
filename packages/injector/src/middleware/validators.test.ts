import { IncomingMessage } from "node:http";
import { connect, Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { listen, type TestServer } from "./test-support.js";
import { ifNoneMatchOf, taggedEtag, untagIfNoneMatch } from "./validators.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** What ifNoneMatchOf answers for a request sent with these raw header lines, as Node's parser leaves it. */
async function ifNoneMatchFor(headerLines: string[]): Promise<string | undefined> {
  let seen: string | undefined = "(not called)";
  // One server per call: the previous one (a test may ask several times) is closed first.
  await server?.close();
  server = await listen((req, res) => {
    seen = ifNoneMatchOf(req);
    res.end();
  });
  const { port } = new URL(server.url);
  await new Promise<void>((resolve, reject) => {
    const socket = connect(Number(port), "127.0.0.1", () => {
      socket.end(
        `GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${headerLines.map((l) => `${l}\r\n`).join("")}\r\n`,
      );
    });
    socket.on("data", () => {});
    socket.on("close", () => resolve());
    socket.on("error", reject);
  });
  return seen;
}

describe("ifNoneMatchOf", () => {
  it("finds the header whatever its case", async () => {
    expect(await ifNoneMatchFor(['If-None-Match: W/"a"'])).toBe('W/"a"');
    expect(await ifNoneMatchFor(["Accept: */*", 'IF-NONE-MATCH: "b"'])).toBe('"b"');
  });

  it("is undefined for a request without it, including one with a header name of the same length", async () => {
    expect(await ifNoneMatchFor(["Content-Range: bytes 0-1/2"])).toBeUndefined();
    expect(await ifNoneMatchFor([])).toBeUndefined();
  });

  it("answers what req.headers holds once found (a header repeated is joined, as Node joins it)", async () => {
    expect(await ifNoneMatchFor(['If-None-Match: "a"', 'if-none-match: "b"'])).toBe('"a", "b"');
  });

  it("reads req.headers for a request built without raw headers (a test double)", () => {
    const req = new IncomingMessage(new Socket());
    req.headers = { "if-none-match": '"c"' };
    expect(ifNoneMatchOf(req)).toBe('"c"');
  });
});

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
