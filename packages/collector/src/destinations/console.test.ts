import { describe, expect, it } from "vitest";
import { createConsoleBackend } from "./console.js";

const event = {
  name: "navigation.request",
  timestamp: "2024-05-01T12:00:00.000Z",
  data: { url: "/a" },
  context: { user_id: 1 },
};

describe("createConsoleBackend", () => {
  it("prints a readable line by default", () => {
    const out: string[] = [];
    createConsoleBackend({ stream: { write: (s: string) => out.push(s) } }).send(event);
    expect(out).toEqual(['2024-05-01T12:00:00.000Z navigation.request {"url":"/a"} context={"user_id":1}\n']);
  });

  it("prints one JSON object per line in json format and omits nothing", () => {
    const out: string[] = [];
    createConsoleBackend({ format: "json", stream: { write: (s: string) => out.push(s) } }).send(event);
    expect(JSON.parse(out[0] ?? "")).toEqual(event);
  });
});
