import { describe, expect, it } from "vitest";
import { sampleStatsResult, XSS } from "../../test/dashboard/fixture.js";
import { FUNNEL_COLOURS, renderFunnelChart } from "./funnel-chart.js";

const funnel = sampleStatsResult().funnels[0] as NonNullable<
  ReturnType<typeof sampleStatsResult>["funnels"][0]
>;

/** WCAG 2 contrast ratio of two `#rrggbb` colours. */
function contrast(a: string, b: string): number {
  const lum = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => {
      const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

describe("renderFunnelChart", () => {
  const svg = renderFunnelChart("f", funnel);

  it("is an accessible image whose description holds every figure", () => {
    expect(svg).toMatch(/^<svg [^>]*role="img" aria-labelledby="f-title f-desc"/);
    expect(svg).toContain('<title id="f-title">Funnel checkout, 3 steps</title>');
    expect(svg).toContain(
      '<desc id="f-desc">1. page:/cart: 917 visitors (100.0% of step 1). 2. page:/search&quot;&gt;',
    );
    expect(svg).toContain("42.4% of step 1, 528 dropped off.");
  });

  it("draws each step's bar as wide as its share of the first step", () => {
    const widths = [...svg.matchAll(/<rect [^>]*width="([\d.]+)" height="20" fill="#1d4ed8"/g)].map((m) =>
      Number(m[1]),
    );
    expect(widths).toHaveLength(3);
    expect(widths[1] as number).toBeCloseTo(((widths[0] as number) * 389) / 917, 0);
    expect(widths[2] as number).toBeCloseTo(((widths[0] as number) * 97) / 917, 0);
  });

  it("writes step names as inert text", () => {
    expect(svg).not.toContain(XSS.path);
    expect(svg).not.toMatch(/<script|\son[a-z]+=/i);
  });

  it("keeps a thin bar for a step with people, none for a step without", () => {
    const empty = renderFunnelChart("e", {
      name: "n",
      steps: [
        { match: "page:/a", visitors: 5000, stepConversion: 1, overallConversion: 1, dropOff: 0 },
        { match: "page:/b", visitors: 1, stepConversion: 0.0002, overallConversion: 0.0002, dropOff: 4999 },
        { match: "page:/c", visitors: 0, stepConversion: 0, overallConversion: 0, dropOff: 1 },
      ],
    });
    const widths = [...empty.matchAll(/width="([\d.]+)" height="20" fill="#1d4ed8"/g)].map((m) => m[1]);
    expect(widths.slice(1)).toEqual(["2.0", "0.0"]);
  });

  it("uses text and bar colours with at least 4.5:1 contrast on white", () => {
    for (const colour of [FUNNEL_COLOURS.bar, FUNNEL_COLOURS.text, FUNNEL_COLOURS.muted])
      expect(contrast(colour, "#ffffff")).toBeGreaterThanOrEqual(4.5);
  });
});
