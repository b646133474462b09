import { describe, expect, it } from "vitest";
import { SiteGate } from "./site-gate.js";

const field = (i: number) => `batch[${i}].site`;

describe("SiteGate", () => {
  it("with a list: takes listed sites only, naming the first other one and counting the refused events", () => {
    const gate = new SiteGate({ sites: ["a.example", "b.example"], maxSites: 1, knownSites: async () => [] });
    expect(gate.loaded).toBe(true);
    expect(gate.check(["a.example", "b.example", "b.example"], field)).toBeNull();
    const refused = gate.check(["a.example", "evil.example", "x"], field);
    expect(refused).toMatchObject({ status: 403, code: "site_not_listed", path: "batch[1].site" });
    expect(refused?.message).toContain('"evil.example" is not one of them');
    expect(gate.counts).toEqual({ notListed: 3, overLimit: 0 });
  });

  it("without a list: counts the store's sites and refuses new ones past the limit", async () => {
    const gate = new SiteGate({ sites: null, maxSites: 3, knownSites: async () => ["a", "b"] });
    expect(gate.loaded).toBe(false);
    await gate.load();
    expect(gate.check(["a", "c", "c"], field)).toBeNull();
    expect(gate.check(["a", "b", "d"], field)).toMatchObject({
      code: "too_many_sites",
      path: "batch[2].site",
    });
    // A batch bringing two new sites when one fits is refused whole.
    const wide = new SiteGate({ sites: null, maxSites: 2, knownSites: async () => ["a"] });
    await wide.load();
    expect(wide.check(["b", "c"], field)).toMatchObject({ code: "too_many_sites", path: "batch[0].site" });
    expect(wide.check(["b"], field)).toBeNull();
    expect(gate.counts).toEqual({ notListed: 0, overLimit: 3 });
  });

  it("keeps memory flat: 10,000 distinct site ids leave at most the limit known", async () => {
    const gate = new SiteGate({ sites: null, maxSites: 100, knownSites: async () => [] });
    await gate.load();
    let refused = 0;
    for (let i = 0; i < 10_000; i++) if (gate.check([`site-${i}`], field)) refused++;
    expect(refused).toBe(9_900);
    expect(gate.counts.overLimit).toBe(9_900);
  });

  it("treats a store that cannot list its sites as empty", async () => {
    const gate = new SiteGate({
      sites: null,
      maxSites: 1,
      knownSites: async () => {
        throw new Error("store down");
      },
    });
    await gate.load();
    expect(gate.check(["a"], field)).toBeNull();
    expect(gate.check(["b"], field)?.code).toBe("too_many_sites");
  });
});
