import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "@tracklet/config";
import { afterAll, describe, expect, it } from "vitest";
import { resolveCollectorSettings } from "./collector-config.js";

const dir = mkdtempSync(join(tmpdir(), "tracklet-conversions-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cfg(text: string): string {
  const file = join(dir, `c${Math.random().toString(36).slice(2)}.cfg`);
  writeFileSync(file, text);
  return file;
}

function issuesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.issues.map((i) => `${i.where}: ${i.message}`);
    throw err;
  }
  return [];
}

describe("goals and funnels settings", () => {
  it("reads [goals] and [funnels] in file order, names as written", () => {
    const file = cfg(`[DEFAULT]
base = /x

[goals]
Signup = event:Signup
pro_signup = event:Signup plan=pro
pricing = page:/pricing*

[funnels]
checkout = page:/cart, page:/checkout,
  event:Purchase
`);
    const s = resolveCollectorSettings({ configFile: file, env: {} });
    expect(s.goals).toEqual([
      { name: "Signup", match: { kind: "event", name: "Signup", props: {} } },
      { name: "pro_signup", match: { kind: "event", name: "Signup", props: { plan: "pro" } } },
      { name: "pricing", match: { kind: "page", path: "/pricing*" } },
    ]);
    expect(s.funnels).toEqual([
      {
        name: "checkout",
        steps: [
          { kind: "page", path: "/cart" },
          { kind: "page", path: "/checkout" },
          { kind: "event", name: "Purchase", props: {} },
        ],
      },
    ]);
  });

  it("refuses bad lines with file:line, every one of them", () => {
    const file = cfg(`[goals]
ok = event:Signup
bad_kind = click:Signup
bad_page = page:pricing

[funnels]
short = page:/cart
long = page:/1, page:/2, page:/3, page:/4, page:/5, page:/6, page:/7, page:/8, page:/9
bad_step = page:/cart, event:
`);
    expect(issuesOf(() => resolveCollectorSettings({ configFile: file, env: {} }))).toEqual([
      `${file}:3: goal bad_kind: expected event:<name> [key=value …] or page:/<path>, got "click:Signup"`,
      `${file}:4: goal bad_page: a page path starts with / (got "pricing")`,
      `${file}:7: funnel short has 1 step; a funnel has 2 to 8, separated by commas`,
      `${file}:8: funnel long has 9 steps; a funnel has 2 to 8, separated by commas`,
      `${file}:9: funnel bad_step, step 2: an event name follows event:`,
    ]);
  });

  it("takes goals and funnels from options instead of the file, checked the same way", () => {
    const file = cfg("[goals]\nfrom_file = event:A\n");
    const s = resolveCollectorSettings({
      configFile: file,
      env: {},
      goals: { signup: "event:Signup" },
      funnels: { checkout: ["page:/cart", "event:Purchase"], two: "page:/a, page:/b" },
    });
    expect(s.goals.map((g) => g.name)).toEqual(["signup"]);
    expect(s.funnels.map((f) => [f.name, f.steps.length])).toEqual([
      ["checkout", 2],
      ["two", 2],
    ]);
    expect(issuesOf(() => resolveCollectorSettings({ env: {}, goals: { x: "page:x" } }))).toEqual([
      'option goals.x: goal x: a page path starts with / (got "x")',
    ]);
  });

  it("reads the README's example", () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    const example = /```ini\n(\[goals\][\s\S]*?)```/.exec(readme)?.[1] ?? "";
    const s = resolveCollectorSettings({ configFile: cfg(example), env: {} });
    expect(s.goals.map((g) => g.name)).toEqual(["signup", "pro_signup", "pricing"]);
    expect(s.funnels.map((f) => f.steps.length)).toEqual([3]);
  });

  it("has none by default", () => {
    const s = resolveCollectorSettings({ env: {} });
    expect([s.goals, s.funnels]).toEqual([[], []]);
  });
});
