import type { FunnelRow } from "../stats/types.js";
import { escapeAttr, escapeHtml } from "./escape.js";

const WIDTH = 760;
const LEFT = 8;
const BAR_WIDTH = WIDTH - 2 * LEFT;
const ROW_HEIGHT = 64;
/** Bar and text colours with at least 4.5:1 contrast on white; the remainder track is decoration only. */
export const FUNNEL_COLOURS = {
  bar: "#1d4ed8",
  track: "#e5e9f0",
  text: "#1f2328",
  muted: "#3d4451",
} as const;

const percent = (share: number) => `${(share * 100).toFixed(1)}%`;
const count = (n: number) => n.toLocaleString("en-US");

/** One line per step: what it is, its people, and how many of the previous step's it kept. */
function stepLabel(funnel: FunnelRow, k: number): { head: string; tail: string } {
  const step = funnel.steps[k] as FunnelRow["steps"][number];
  const head = `${k + 1}. ${step.match}: ${count(step.visitors)} ${step.visitors === 1 ? "visitor" : "visitors"} (${percent(step.overallConversion)} of step 1)`;
  const tail =
    k === 0 ? "" : `${percent(step.stepConversion)} of step ${k}, ${count(step.dropOff)} dropped off`;
  return { head, tail };
}

/**
 * A funnel as inline SVG (no script): per step a bar as wide as its share of the first step's people, with the
 * step, its people, and its conversion and drop-off against the previous step written above the bar, so no
 * figure is told by colour or length alone. `role="img"` with a `<title>` and a `<desc>` holding every figure.
 */
export function renderFunnelChart(id: string, funnel: FunnelRow): string {
  const height = funnel.steps.length * ROW_HEIGHT + 8;
  const lines = funnel.steps.map((_, k) => stepLabel(funnel, k));
  const desc = lines.map((l) => (l.tail ? `${l.head}; ${l.tail}.` : `${l.head}.`)).join(" ");
  const parts = [
    `<svg class="chart funnel" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-labelledby="${escapeAttr(id)}-title ${escapeAttr(id)}-desc" xmlns="http://www.w3.org/2000/svg">`,
    `<title id="${escapeAttr(id)}-title">${escapeHtml(`Funnel ${funnel.name}, ${funnel.steps.length} steps`)}</title>`,
    `<desc id="${escapeAttr(id)}-desc">${escapeHtml(desc)}</desc>`,
  ];
  funnel.steps.forEach((step, k) => {
    const top = k * ROW_HEIGHT + 4;
    const width = Math.max(step.visitors > 0 ? 2 : 0, step.overallConversion * BAR_WIDTH);
    const line = lines[k] as { head: string; tail: string };
    parts.push(
      `<text x="${LEFT}" y="${top + 14}" font-size="13" fill="${FUNNEL_COLOURS.text}">${escapeHtml(line.head)}</text>`,
      `<rect x="${LEFT}" y="${top + 22}" width="${BAR_WIDTH}" height="20" fill="${FUNNEL_COLOURS.track}"/>`,
      `<rect x="${LEFT}" y="${top + 22}" width="${width.toFixed(1)}" height="20" fill="${FUNNEL_COLOURS.bar}"/>`,
    );
    if (line.tail) {
      parts.push(
        `<text x="${LEFT}" y="${top + 57}" font-size="12" fill="${FUNNEL_COLOURS.muted}">${escapeHtml(line.tail)}</text>`,
      );
    }
  });
  parts.push("</svg>");
  return parts.join("");
}
