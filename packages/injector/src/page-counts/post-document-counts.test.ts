import { afterEach, describe, expect, it } from "vitest";
import { listen, type TestServer } from "../../test/test-support.js";
import { postDocumentCounts } from "./post-document-counts.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("postDocumentCounts", () => {
  it("posts the counts as JSON with the token as a bearer token", async () => {
    const seen: Array<{ auth: string | undefined; type: string | undefined; body: string }> = [];
    server = await listen((req, res) => {
      let body = "";
      req.on("data", (chunk) => {
        body += chunk;
      });
      req.on("end", () => {
        seen.push({ auth: req.headers.authorization, type: req.headers["content-type"], body });
        res.writeHead(204).end();
      });
    });
    const counts = [{ site: "shop.example", path: "/", hour: 0, count: 3 }];
    await postDocumentCounts(`${server.url}/tracklet/documents`, "s3cret")(counts);
    expect(seen).toEqual([
      { auth: "Bearer s3cret", type: "application/json", body: JSON.stringify({ documents: counts }) },
    ]);
  });

  it("throws when the collector refuses them, so they are kept", async () => {
    server = await listen((_req, res) => res.writeHead(401).end());
    await expect(postDocumentCounts(`${server.url}/documents`, "wrong")([])).rejects.toThrow(/401/);
  });
});
