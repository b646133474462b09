import { describe, expect, it } from "vitest";
import { progressDisplay } from "./progress-display.js";

function recorder(isTTY: boolean) {
  const chunks: string[] = [];
  return { stream: { isTTY, write: (t: string) => chunks.push(t) }, text: () => chunks.join("") };
}

describe("progressDisplay", () => {
  it("prints a line per task at first, then at most one per period, and the last figures on stop", () => {
    let clock = 0;
    const out = recorder(false);
    const display = progressDisplay(out.stream, { lineEveryMs: 1000, now: () => clock });
    display.update({ task: "rollup backfill", done: 0, total: 200 });
    clock = 10;
    display.update({ task: "rollup backfill", done: 5, total: 200 });
    clock = 1500;
    display.update({ task: "rollup backfill", done: 50, total: 200 });
    clock = 1600;
    display.update({ task: "rollup backfill", done: 120, total: 200 });
    display.stop();
    expect(out.text()).toBe(
      "rollup backfill: 0/200 (0%)\nrollup backfill: 50/200 (25%)\nrollup backfill: 120/200 (60%)\n",
    );
  });

  it("prints counts without a share when the total is unknown", () => {
    const out = recorder(false);
    const display = progressDisplay(out.stream);
    display.update({ task: "retention", done: 3, total: null });
    display.stop();
    expect(out.text()).toBe("retention: 3\n");
  });

  it("draws a bar with the task, share and counts on a terminal", () => {
    const out = recorder(true);
    const display = progressDisplay(out.stream);
    display.update({ task: "migrations", done: 1, total: 4 });
    display.update({ task: "migrations", done: 4, total: 4 });
    display.stop();
    expect(out.text()).toContain("migrations [");
    expect(out.text()).toContain("100% | 4/4");
  });
});
