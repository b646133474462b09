import { describe, expect, it } from "vitest";
import { isBotUserAgent } from "./bots.js";

const CHROME =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";

describe("isBotUserAgent", () => {
  it("flags crawlers, headless browsers and missing user agents", () => {
    expect(isBotUserAgent("Googlebot/2.1 (+http://www.google.com/bot.html)")).toBe(true);
    expect(isBotUserAgent(CHROME.replace("Chrome/", "HeadlessChrome/"))).toBe(true);
    expect(isBotUserAgent(undefined)).toBe(true);
    expect(isBotUserAgent("  ")).toBe(true);
  });

  it("passes browsers, also once cached", () => {
    expect(isBotUserAgent(CHROME)).toBe(false);
    expect(isBotUserAgent(CHROME)).toBe(false);
  });

  it("answers the same after the cache is emptied", () => {
    for (let i = 0; i < 2100; i++) isBotUserAgent(`${CHROME} build/${i}`);
    expect(isBotUserAgent("curl/8.5.0")).toBe(true);
    expect(isBotUserAgent(CHROME)).toBe(false);
  });
});
