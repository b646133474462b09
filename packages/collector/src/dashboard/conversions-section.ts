import type { StatsResult } from "../stats/types.js";
import { escapeAttr, escapeHtml } from "./escape.js";
import { renderFunnelChart } from "./funnel-chart.js";
import { findTable, type TableDefinition } from "./tables.js";

/** How a conversions section ends: the data table and its export link (given by the page). */
type TableBlock = (table: TableDefinition) => string;

const HOW_TO = (section: string, example: string) =>
  `<p class="note">Add a <code>[${section}]</code> section to the config file, e.g. <code>${escapeHtml(example)}</code>.</p>`;

function emptySection(table: TableDefinition, example: string): string {
  return `<section aria-labelledby="h-${table.id}" id="section-${table.id}"><h2 id="h-${table.id}">${escapeHtml(table.title)}</h2><p class="empty">${escapeHtml(table.empty)}</p>${HOW_TO(table.id, example)}</section>`;
}

/** The goals table, or how to configure goals. */
export function renderGoalsSection(r: StatsResult, tableBlock: TableBlock): string {
  const table = findTable("goals") as TableDefinition;
  if (r.goals.length === 0) return emptySection(table, "signup = event:Signup");
  const note = `<p class="note">People (user id when signed in, else visitor) who reached each goal in this range, as a share of its ${escapeHtml(r.totals.visitors.toLocaleString("en-US"))} visitors; the change is against the same number of days just before.</p>`;
  return `<section aria-labelledby="h-goals" id="section-goals"><h2 id="h-goals">${escapeHtml(table.title)}</h2>${note}${tableBlock(table)}</section>`;
}

/** One chart per funnel, then every step in one table; or how to configure funnels. */
export function renderFunnelsSection(r: StatsResult, tableBlock: TableBlock): string {
  const table = findTable("funnels") as TableDefinition;
  if (r.funnels.length === 0)
    return emptySection(table, "checkout = page:/cart, page:/checkout, event:Purchase");
  const charts = r.funnels
    .map((funnel, i) => {
      const id = `chart-funnel-${i}`;
      return `<figure class="funnel" data-funnel="${escapeAttr(funnel.name)}"><figcaption>${escapeHtml(funnel.name)}</figcaption>${renderFunnelChart(id, funnel)}</figure>`;
    })
    .join("");
  const note = `<p class="note">People who did each step after the previous ones, in order, within one session.</p>`;
  return `<section aria-labelledby="h-funnels" id="section-funnels"><h2 id="h-funnels">${escapeHtml(table.title)}</h2>${note}${charts}${tableBlock(table)}</section>`;
}
