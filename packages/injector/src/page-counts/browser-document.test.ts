import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { isBrowserDocument, requestHostname, requestPath } from "./browser-document.js";

const CHROME =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

function req(
  headers: Record<string, string>,
  extra: Partial<IncomingMessage> & Record<string, unknown> = {},
) {
  return {
    method: "GET",
    url: "/",
    headers: { "user-agent": CHROME, ...headers },
    ...extra,
  } as IncomingMessage;
}

describe("isBrowserDocument", () => {
  it("counts navigations to a document, and browsers that send no fetch metadata", () => {
    expect(isBrowserDocument(req({ "sec-fetch-dest": "document", "sec-fetch-mode": "navigate" }))).toBe(true);
    expect(isBrowserDocument(req({}))).toBe(true);
    expect(isBrowserDocument(req({}, { method: "POST" }))).toBe(true);
  });

  it("leaves out fetches, frames and other destinations", () => {
    expect(isBrowserDocument(req({ "sec-fetch-dest": "empty", "sec-fetch-mode": "cors" }))).toBe(false);
    expect(isBrowserDocument(req({ "sec-fetch-dest": "iframe", "sec-fetch-mode": "navigate" }))).toBe(false);
    expect(isBrowserDocument(req({ "sec-fetch-dest": "document", "sec-fetch-mode": "no-cors" }))).toBe(false);
    expect(isBrowserDocument(req({ "sec-fetch-mode": "same-origin" }))).toBe(false);
  });

  it("leaves out HEAD, bots and requests without a user agent", () => {
    expect(isBrowserDocument(req({}, { method: "HEAD" }))).toBe(false);
    expect(isBrowserDocument(req({ "user-agent": "Googlebot/2.1 (+http://www.google.com/bot.html)" }))).toBe(
      false,
    );
    expect(isBrowserDocument(req({ "user-agent": CHROME.replace("Chrome/", "HeadlessChrome/") }))).toBe(
      false,
    );
    expect(isBrowserDocument({ method: "GET", url: "/", headers: {} } as IncomingMessage)).toBe(false);
  });
});

describe("requestHostname and requestPath", () => {
  it("takes express's hostname, else the Host header without its port", () => {
    expect(requestHostname(req({ host: "Shop.Example:8080" }))).toBe("shop.example");
    expect(requestHostname(req({ host: "[::1]:3000" }))).toBe("[::1]");
    expect(requestHostname(req({ host: "a.example" }, { hostname: "proxied.example" }))).toBe(
      "proxied.example",
    );
  });

  it("takes the path without the query, from express's originalUrl when mounted", () => {
    expect(requestPath(req({}, { url: "/docs/a?x=1#h" }))).toBe("/docs/a");
    expect(requestPath(req({}, { url: "/a", originalUrl: "/blog/a?page=2" }))).toBe("/blog/a");
  });
});
