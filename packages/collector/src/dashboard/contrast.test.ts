import { describe, expect, it } from "vitest";
import { DASHBOARD_CSS } from "./assets.js";
import { SERIES_COLOURS } from "./chart.js";

/** WCAG 2 relative luminance of a `#rrggbb` colour. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

const variable = (name: string) => new RegExp(`--${name}:(#[0-9a-f]{6})`).exec(DASHBOARD_CSS)?.[1] ?? "";

describe("colours (WCAG AA)", () => {
  const backgrounds = ["#ffffff", variable("bg")];

  it("gives every text colour at least 4.5:1 on the page and section backgrounds", () => {
    const textColours = new Set<string>([variable("fg"), variable("muted"), variable("accent")]);
    for (const m of DASHBOARD_CSS.matchAll(/[{;]color:(#[0-9a-f]{6})/g)) textColours.add(m[1] as string);
    expect(textColours.size).toBeGreaterThanOrEqual(5);
    for (const fg of textColours) {
      for (const bg of backgrounds) expect(contrast(fg, bg), `${fg} on ${bg}`).toBeGreaterThanOrEqual(4.5);
    }
  });

  it("keeps button text, chart lines and the focus ring readable", () => {
    expect(contrast("#ffffff", variable("accent"))).toBeGreaterThanOrEqual(4.5);
    for (const line of Object.values(SERIES_COLOURS))
      expect(contrast(line, "#ffffff")).toBeGreaterThanOrEqual(4.5);
    const focus = /outline:3px solid (#[0-9a-f]{6})/.exec(DASHBOARD_CSS)?.[1] ?? "";
    expect(contrast(focus, "#ffffff")).toBeGreaterThanOrEqual(3);
  });
});
