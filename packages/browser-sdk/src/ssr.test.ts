// @vitest-environment node
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// The built package, as a server-rendering app imports it (run the build first; `npm test` does).
const dist = fileURLToPath(new URL("../dist/index.js", import.meta.url));

describe("server-side rendering (plain Node, no DOM globals)", () => {
  it("imports the built module without touching window, and createTracker gives an inert tracker", async () => {
    expect(typeof window).toBe("undefined");
    const touched: string[] = [];
    for (const name of ["window", "document", "location", "navigator", "history"]) {
      Object.defineProperty(globalThis, name, {
        configurable: true,
        get() {
          touched.push(name);
          return undefined;
        },
      });
    }
    try {
      const mod = await import(dist);
      expect(typeof mod.createTracker).toBe("function");
      expect(touched).toEqual([]);
      const t = mod.createTracker({ endpoint: "https://collector.test/collect" });
      const callback = (result?: unknown) => touched.push(`callback:${JSON.stringify(result)}`);
      t.pageview();
      t.track("Signup", { callback });
      expect(t.withContext("c", {}, () => 42)).toBe(42);
      await t.flush();
      t.destroy();
      // createTracker only checks whether window and document exist; nothing else is read.
      expect(touched.filter((n) => !n.startsWith("callback"))).toEqual(["window"]);
      expect(touched).toContain("callback:undefined");
    } finally {
      for (const name of ["window", "document", "location", "navigator", "history"])
        delete (globalThis as Record<string, unknown>)[name];
    }
  });
});
