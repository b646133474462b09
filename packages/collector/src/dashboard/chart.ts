import type { SeriesPoint, StatsInterval } from "../stats/types.js";
import { escapeAttr, escapeHtml } from "./escape.js";

const WIDTH = 760;
const HEIGHT = 260;
const PAD = { left: 56, right: 16, top: 16, bottom: 40 };
/** Line colours with at least 4.5:1 contrast on white (WCAG AA for text, above the 3:1 needed for graphics). */
export const SERIES_COLOURS = { pageviews: "#1d4ed8", visitors: "#a34400" } as const;

export interface SeriesChartInput {
  id: string;
  series: SeriesPoint[];
  /** Previous period, drawn dashed and aligned bucket by bucket. */
  previous?: SeriesPoint[] | undefined;
  interval: StatsInterval;
  /** Human description of the range, e.g. `2026-11-01 to 2026-11-07 (UTC)`. */
  rangeLabel: string;
}

/** Rounds up to 1, 2 or 5 times a power of ten so the axis reads well. */
export function niceMax(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

/** `2026-11-05T14:00:00+01:00` → `11-05 14:00` (hour) or `11-05` (day/week): the bucket's own wall time. */
export function bucketLabel(bucket: string, interval: StatsInterval): string {
  const date = bucket.slice(5, 10);
  return interval === "hour" ? `${date} ${bucket.slice(11, 16)}` : date;
}

function linePath(values: number[], x: (i: number) => number, y: (v: number) => number): string {
  return values.map((v, i) => `${i === 0 ? "M" : "L"}${x(i).toFixed(1)} ${y(v).toFixed(1)}`).join("");
}

/**
 * The visitors/pageviews time series as inline SVG: no chart library, no script. `role="img"` with a `<title>`
 * and `<desc>`; the page puts the full numbers in a table next to it as the text alternative.
 */
export function renderSeriesChart(input: SeriesChartInput): string {
  const { id, series, previous, interval } = input;
  const count = Math.max(series.length, previous?.length ?? 0);
  const all = [...series, ...(previous ?? [])];
  const top = niceMax(Math.max(0, ...all.map((p) => Math.max(p.pageviews, p.visitors))));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (count <= 1 ? plotW / 2 : (i * plotW) / (count - 1));
  const y = (v: number) => PAD.top + plotH - (v / top) * plotH;

  const totalPageviews = series.reduce((s, p) => s + p.pageviews, 0);
  const peak = series.reduce<SeriesPoint | undefined>(
    (best, p) => (!best || p.pageviews > best.pageviews ? p : best),
    undefined,
  );
  const title = `Visitors and pageviews per ${interval}, ${input.rangeLabel}`;
  const desc =
    series.length === 0
      ? "No data in this range."
      : `${series.length} ${interval} buckets, ${totalPageviews} pageviews in total` +
        (peak ? `, peaking at ${peak.pageviews} on ${bucketLabel(peak.bucket, interval)}` : "") +
        (previous ? ". Dashed lines show the previous period." : ".") +
        " The table that follows lists every value.";

  const parts: string[] = [];
  parts.push(
    `<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="${escapeAttr(id)}-title ${escapeAttr(id)}-desc" xmlns="http://www.w3.org/2000/svg">`,
    `<title id="${escapeAttr(id)}-title">${escapeHtml(title)}</title>`,
    `<desc id="${escapeAttr(id)}-desc">${escapeHtml(desc)}</desc>`,
  );
  // Axis grid: four horizontal lines with their values.
  for (let k = 0; k <= 4; k++) {
    const value = (top * k) / 4;
    const yy = y(value).toFixed(1);
    parts.push(
      `<line x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${yy}" y2="${yy}" stroke="#d0d4da" stroke-width="1"/>`,
      `<text x="${PAD.left - 8}" y="${yy}" dy="4" text-anchor="end" font-size="12" fill="#3d4451">${escapeHtml(formatAxis(value))}</text>`,
    );
  }
  // At most seven date labels along the bottom, evenly spread.
  const labelEvery = Math.max(1, Math.ceil(series.length / 7));
  series.forEach((p, i) => {
    if (i % labelEvery !== 0) return;
    parts.push(
      `<text x="${x(i).toFixed(1)}" y="${HEIGHT - PAD.bottom + 20}" text-anchor="middle" font-size="12" fill="#3d4451">${escapeHtml(bucketLabel(p.bucket, interval))}</text>`,
    );
  });
  if (previous && previous.length > 0) {
    for (const key of ["pageviews", "visitors"] as const) {
      parts.push(
        `<path d="${linePath(
          previous.map((p) => p[key]),
          x,
          y,
        )}" fill="none" stroke="${SERIES_COLOURS[key]}" stroke-width="1.5" stroke-dasharray="5 4" opacity="0.8"/>`,
      );
    }
  }
  if (series.length > 0) {
    for (const key of ["pageviews", "visitors"] as const) {
      parts.push(
        `<path d="${linePath(
          series.map((p) => p[key]),
          x,
          y,
        )}" fill="none" stroke="${SERIES_COLOURS[key]}" stroke-width="2.5" stroke-linejoin="round"/>`,
      );
    }
  } else {
    parts.push(
      `<text x="${WIDTH / 2}" y="${HEIGHT / 2}" text-anchor="middle" font-size="14" fill="#3d4451">No data in this range</text>`,
    );
  }
  parts.push("</svg>");
  return parts.join("");
}

function formatAxis(value: number): string {
  if (value >= 1_000_000) return `${+(value / 1_000_000).toFixed(1)}M`;
  if (value >= 10_000) return `${+(value / 1000).toFixed(1)}k`;
  return String(+value.toFixed(1));
}
