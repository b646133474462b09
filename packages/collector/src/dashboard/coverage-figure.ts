import type { StatsResult } from "../stats/types.js";
import { escapeHtml } from "./escape.js";
import { formatShare } from "./format-share.js";

const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/**
 * The Coverage figure under the overview: the share of page loads (pages served with the snippet to browsers)
 * whose first pageview arrived. Empty when the injector counted no page in the range.
 */
export function renderCoverageFigure(r: StatsResult): string {
  const c = r.coverage;
  if (c === undefined) return "";
  const loads = c.served === 1 ? "page load" : "page loads";
  return `<p id="coverage" class="note" data-metric="coverage"><strong>Coverage:</strong> <span data-coverage="share">${escapeHtml(formatShare(c.share))}</span> of ${loads} reported (<span data-coverage="reported">${escapeHtml(integer.format(c.reported))}</span> first pageviews of <span data-coverage="served">${escapeHtml(integer.format(c.served))}</span> pages served with the snippet; ad blockers, failed sends and visitors who left before the script ran make the rest).</p>`;
}
