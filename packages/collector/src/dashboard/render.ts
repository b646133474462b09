import type { StatsResult } from "../stats/types.js";
import { DASHBOARD_CSS, DASHBOARD_JS } from "./assets.js";
import { renderSeriesChart } from "./chart.js";
import { renderFunnelsSection, renderGoalsSection } from "./conversions-section.js";
import { renderCoverageFigure } from "./coverage-figure.js";
import type { CsvCell } from "./csv.js";
import { renderDestinationsSection } from "./destinations-table.js";
import { escapeAttr, escapeHtml, isolatedHtml, isolatedText, safeHref, visibleControls } from "./escape.js";
import { formatShare } from "./format-share.js";
import { type DashboardState, previousPeriod, type RangePreset, stateQueryString } from "./state.js";
import { findTable, type TableDefinition } from "./tables.js";

/** Everything one dashboard page shows. */
export interface DashboardView {
  title: string;
  /** Public path the dashboard is served under, without trailing slash (`/tracklet`). */
  basePath: string;
  state: DashboardState;
  /** Site shown (the state's, or the first one with data); null when no site has data yet. */
  site: string | null;
  sites: string[];
  result: StatsResult | null;
  /** The previous period when the state asks to compare. */
  previous: StatsResult | null;
  /** Link to the same data as JSON from the stats API, or null to leave it out. */
  statsApiHref: string | null;
  /** CSP nonce for the inline style and script. */
  nonce: string;
  /** The sign-out form's token when the browser is signed in with a dashboard session; null: no sign-out. */
  logoutToken?: string | null | undefined;
}

const PRESET_LABELS: Record<RangePreset, string> = {
  today: "Today",
  "7d": "Last 7 days",
  "30d": "Last 30 days",
  custom: "Custom range",
};

const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** `12345` → `12,345`. */
export function formatCount(value: number): string {
  return integer.format(value);
}

export { formatShare } from "./format-share.js";

/** `185` → `3m 05s`. */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}h ${String(m).padStart(2, "0")}m` : `${m}m ${rest}s`;
}

/** Change against the previous period as text (never colour alone): `▲ 12.5%`, `▼ 3.0%`, `new`, `no change`. */
export function formatDelta(current: number, previous: number, kind: "relative" | "points" = "relative") {
  const diff =
    kind === "points"
      ? (current - previous) * 100
      : previous === 0
        ? Number.NaN
        : ((current - previous) / previous) * 100;
  if (kind === "relative" && previous === 0) {
    return current === 0 ? { text: "no change", cls: "" } : { text: "new", cls: "up" };
  }
  if (Math.abs(diff) < 0.05) return { text: "no change", cls: "" };
  const unit = kind === "points" ? " pts" : "%";
  return diff > 0
    ? { text: `▲ ${diff.toFixed(1)}${unit}`, cls: "up" }
    : { text: `▼ ${Math.abs(diff).toFixed(1)}${unit}`, cls: "down" };
}

function href(view: Pick<DashboardView, "basePath">, path: string, query: string): string {
  return safeHref(`${view.basePath}${path}?${query}`);
}

/** A cell: numbers formatted, missing values as a dash, collected text isolated with its controls visible. */
function cell(value: CsvCell, numeric: boolean | undefined, header = false): string {
  const html =
    typeof value === "number"
      ? escapeHtml(formatCount(value))
      : value === null || value === undefined
        ? "—"
        : isolatedHtml(value);
  const cls = numeric ? ' class="num"' : "";
  return header ? `<th scope="row"${cls}>${html}</th>` : `<td${cls}>${html}</td>`;
}

/** A `<table>` with column headers and the first cell of each row as its row header. */
export function renderTable(
  table: TableDefinition,
  rows: CsvCell[][],
  labelledBy: string,
  extra?: (i: number) => string,
) {
  const head = table.columns
    .map((c) => `<th scope="col"${c.numeric ? ' class="num"' : ""}>${escapeHtml(c.label)}</th>`)
    .join("");
  const body = rows
    .map((row, i) => {
      const cells = row.map((value, j) => cell(value, table.columns[j]?.numeric, j === 0));
      if (extra) cells[0] = cells[0]?.replace(/<\/th>$/, `${extra(i)}</th>`) ?? "";
      return `<tr>${cells.join("")}</tr>`;
    })
    .join("");
  return `<table id="table-${escapeAttr(table.id)}" aria-labelledby="${escapeAttr(labelledBy)}"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

function exportLinks(view: DashboardView, tableId: string): string {
  const q = stateQueryString(view.state, { site: view.site });
  return `<p class="exports"><a href="${href(view, `/export/${tableId}.csv`, q)}" download>Download CSV<span class="visually-hidden"> of ${escapeHtml(findTable(tableId)?.title ?? tableId)}</span></a></p>`;
}

function tableSection(view: DashboardView, result: StatsResult, tableId: string): string {
  const table = findTable(tableId);
  if (!table) return "";
  const rows = table.rows(result);
  const headingId = `h-${table.id}`;
  let content: string;
  if (rows.length === 0) {
    content = `<p class="empty">${escapeHtml(table.empty)}</p>`;
  } else if (table.id === "events") {
    // Each event lists its top property values under its name.
    content = renderTable(table, rows, headingId, (i) => {
      const props = result.events[i]?.props ?? [];
      if (props.length === 0) return "";
      const items = props
        .map(
          (p) =>
            `<li>${isolatedHtml(p.key)} = ${isolatedHtml(p.value)}: ${escapeHtml(formatCount(p.count))}</li>`,
        )
        .join("");
      return `<ul class="props" aria-label="Properties">${items}</ul>`;
    });
  } else {
    content = renderTable(table, rows, headingId);
  }
  let links = rows.length > 0 ? exportLinks(view, table.id) : "";
  if (table.id === "events" && result.events.some((e) => e.props.length > 0))
    links += exportLinks(view, "event-props");
  return `<section aria-labelledby="${headingId}" id="section-${escapeAttr(table.id)}"><h2 id="${headingId}">${escapeHtml(table.title)}</h2>${content}${links}</section>`;
}

function invertColour(delta: { text: string; cls: string }) {
  return { ...delta, cls: delta.cls === "up" ? "down" : delta.cls === "down" ? "up" : "" };
}

interface Card {
  metric: string;
  label: string;
  value: string;
  delta?: { text: string; cls: string; previous: string } | undefined;
}

function renderCards(cards: Card[]): string {
  const items = cards.map((c) => {
    const delta = c.delta
      ? `<span class="delta ${c.delta.cls}">${escapeHtml(c.delta.text)} <span class="visually-hidden">compared with </span>(previous: ${escapeHtml(c.delta.previous)})</span>`
      : "";
    return `<li class="card" data-metric="${escapeAttr(c.metric)}"><span class="label">${escapeHtml(c.label)}</span><span class="value">${escapeHtml(c.value)}</span>${delta}</li>`;
  });
  return `<ul class="cards">${items.join("")}</ul>`;
}

function overview(view: DashboardView, r: StatsResult): string {
  const p = view.previous;
  const rel = (cur: number, prev: number | undefined, fmt: (v: number) => string) =>
    prev === undefined ? undefined : { ...formatDelta(cur, prev), previous: fmt(prev) };
  const count = (
    metric: string,
    label: string,
    key: "visitors" | "pageviews" | "sessions" | "events",
  ): Card => ({
    metric,
    label,
    value: formatCount(r.totals[key]),
    delta: rel(r.totals[key], p?.totals[key], formatCount),
  });
  const cards: Card[] = [
    count("visitors", "Visitors", "visitors"),
    count("pageviews", "Pageviews", "pageviews"),
    count("sessions", "Sessions", "sessions"),
    count("events", "Events", "events"),
    {
      metric: "bounce-rate",
      label: "Bounce rate",
      value: formatShare(r.totals.bounceRate),
      // Fewer bounces is the good direction: the colour follows that, the arrow follows the number.
      delta: p
        ? {
            ...invertColour(formatDelta(r.totals.bounceRate, p.totals.bounceRate, "points")),
            previous: formatShare(p.totals.bounceRate),
          }
        : undefined,
    },
    {
      metric: "avg-session",
      label: "Average session",
      value: formatDuration(r.totals.avgSessionSeconds),
      delta: rel(r.totals.avgSessionSeconds, p?.totals.avgSessionSeconds, formatDuration),
    },
  ];
  const active: Card[] = [
    { metric: "dau", label: "Daily active users (DAU)", value: formatCount(r.activeUsers.dau) },
    { metric: "wau", label: "Weekly active users (WAU)", value: formatCount(r.activeUsers.wau) },
    { metric: "mau", label: "Monthly active users (MAU)", value: formatCount(r.activeUsers.mau) },
  ];
  const live = `<p id="live" class="note" data-metric="live"><strong>Live:</strong> <span data-live="visitors">${escapeHtml(formatCount(r.live.visitors))}</span> ${r.live.visitors === 1 ? "visitor" : "visitors"} and <span data-live="pageviews">${escapeHtml(formatCount(r.live.pageviews))}</span> ${r.live.pageviews === 1 ? "pageview" : "pageviews"} in the last 30 minutes.</p>`;
  return (
    `<section aria-labelledby="h-overview"><h2 id="h-overview">Overview</h2>${renderCards(cards)}${live}${renderCoverageFigure(r)}</section>` +
    `<section aria-labelledby="h-active"><h2 id="h-active">Active users</h2>${renderCards(active)}<p class="note">Distinct users (user id when signed in, else visitor) on the last day, 7 days and 30 days ending ${escapeHtml(view.state.to)}.</p></section>`
  );
}

function seriesSection(view: DashboardView, r: StatsResult): string {
  const table = findTable("series") as TableDefinition;
  const rangeLabel = `${view.state.from} to ${view.state.to} (${view.state.timezone})`;
  const chart = renderSeriesChart({
    id: "chart-series",
    series: r.series,
    previous: view.previous?.series,
    interval: r.interval,
    rangeLabel,
  });
  const legend =
    `<ul class="legend"><li><span class="swatch pv"></span>Pageviews</li><li><span class="swatch vi"></span>Visitors</li>` +
    (view.previous
      ? `<li><span class="swatch pv prev"></span>Pageviews, previous period</li><li><span class="swatch vi prev"></span>Visitors, previous period</li>`
      : "") +
    "</ul>";
  const rows = table.rows(r);
  const data =
    rows.length > 0
      ? `<div class="visually-hidden">${renderTable(table, rows, "h-series")}</div>`
      : `<p class="empty">${escapeHtml(table.empty)}</p>`;
  return `<section aria-labelledby="h-series" id="section-series"><h2 id="h-series">${escapeHtml(table.title)}</h2>${chart}${legend}${data}${rows.length > 0 ? exportLinks(view, "series") : ""}</section>`;
}

/** A label and its control side by side in the markup, tied by `for`/`id` (not wrapping: keeps names short). */
function field(name: string, label: string, control: string): string {
  return `<div class="field"><label for="f-${name}">${escapeHtml(label)}</label>${control}</div>`;
}

function controls(view: DashboardView): string {
  const s = view.state;
  const option = (value: string, label: string, current: string) =>
    `<option value="${escapeAttr(value)}"${value === current ? " selected" : ""}>${escapeHtml(label)}</option>`;
  const sites =
    view.sites.includes(view.site ?? "") || view.site === null ? view.sites : [view.site, ...view.sites];
  const siteField =
    sites.length > 0
      ? field(
          "site",
          "Site",
          `<select id="f-site" name="site">${sites.map((x) => option(x, isolatedText(x), view.site ?? "")).join("")}</select>`,
        )
      : "";
  const ranges = (Object.keys(PRESET_LABELS) as RangePreset[])
    .map((k) => option(k, PRESET_LABELS[k], s.range))
    .join("");
  const intervals = ["hour", "day", "week"]
    .map((k) => option(k, k[0]?.toUpperCase() + k.slice(1), s.interval))
    .join("");
  const limits = [10, 25, 50, 100].map((k) => option(String(k), String(k), String(s.limit))).join("");
  const form =
    `<form class="controls" method="get" action="${safeHref(`${view.basePath}/`)}" aria-label="Date range and filters">` +
    siteField +
    field("range", "Range", `<select id="f-range" name="range">${ranges}</select>`) +
    `<fieldset id="custom-range"><legend class="visually-hidden">Custom range</legend>` +
    field(
      "from",
      "From",
      `<input type="date" id="f-from" name="from" value="${escapeAttr(s.from)}" required>`,
    ) +
    field("to", "To", `<input type="date" id="f-to" name="to" value="${escapeAttr(s.to)}" required>`) +
    "</fieldset>" +
    field("interval", "Interval", `<select id="f-interval" name="interval">${intervals}</select>`) +
    field(
      "tz",
      "Time zone",
      `<input id="f-tz" name="tz" value="${escapeAttr(s.timezone)}" size="16" autocomplete="off" spellcheck="false">`,
    ) +
    field("limit", "Rows", `<select id="f-limit" name="limit">${limits}</select>`) +
    `<div class="field check"><input type="checkbox" id="f-compare" name="compare" value="1"${s.compare ? " checked" : ""}><label for="f-compare">Compare with previous period</label></div>` +
    `<button type="submit">Apply</button></form>`;
  const presets = (["today", "7d", "30d"] as RangePreset[])
    .map((k) => {
      const q = stateQueryString(s, { site: view.site, range: k, interval: k === "today" ? "hour" : "day" });
      return `<a href="${href(view, "/", q)}"${s.range === k ? ' aria-current="page"' : ""}>${escapeHtml(PRESET_LABELS[k])}</a>`;
    })
    .join("");
  return `${form}<nav class="presets" aria-label="Quick ranges">${presets}</nav>`;
}

function shell(title: string, nonce: string, header: string, main: string, footer = ""): string {
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<meta name="referrer" content="no-referrer"><meta name="robots" content="noindex"><link rel="icon" href="data:,"><title>${escapeHtml(title)}</title>` +
    `<style nonce="${escapeAttr(nonce)}">${DASHBOARD_CSS}</style></head><body>` +
    `<a class="skip" href="#main">Skip to content</a><header>${header}</header><main id="main">${main}</main>` +
    `<footer>${footer}</footer><script nonce="${escapeAttr(nonce)}">${DASHBOARD_JS}</script></body></html>`
  );
}

function signOutForm(view: DashboardView): string {
  if (!view.logoutToken) return "";
  return `<form class="sign-out" method="post" action="${safeHref(`${view.basePath}/logout`)}"><input type="hidden" name="logout" value="${escapeAttr(view.logoutToken)}"><button type="submit">Sign out</button></form>`;
}

/** The whole dashboard page for one site and range. */
export function renderDashboardPage(view: DashboardView): string {
  const s = view.state;
  const heading = `${signOutForm(view)}<h1>${escapeHtml(view.title)}</h1><p class="note">${view.site === null ? "No site yet" : `Site <strong>${isolatedHtml(view.site)}</strong>`}, ${escapeHtml(PRESET_LABELS[s.range])}: ${escapeHtml(s.from)} to ${escapeHtml(s.to)} (${escapeHtml(s.timezone)}, per ${escapeHtml(s.interval)})${view.previous ? `, compared with ${escapeHtml(previousPeriod(s).from)} to ${escapeHtml(previousPeriod(s).to)}` : ""}.</p>${controls(view)}`;
  const r = view.result;
  let main: string;
  if (view.site === null || r === null) {
    main = `<section aria-labelledby="h-empty"><h2 id="h-empty">No data yet</h2><p>No site has sent an event to this collector. Add the tracker to a page and load it; the site appears here with its first event.</p></section>`;
  } else {
    const tables = [
      "top-pages",
      "entry-pages",
      "exit-pages",
      "referrers",
      "utm",
      "browsers",
      "os",
      "devices",
      "events",
      "search-terms",
      "users",
      ...(r.coverage ? ["coverage"] : []),
    ]
      .map((id) => tableSection(view, r, id))
      .join("");
    const tableBlock = (table: TableDefinition) =>
      `${renderTable(table, table.rows(r), `h-${table.id}`)}${exportLinks(view, table.id)}`;
    const conversions = `${renderGoalsSection(r, tableBlock)}${renderFunnelsSection(r, tableBlock)}`;
    main = `${overview(view, r)}${seriesSection(view, r)}${conversions}<div class="grid">${tables}</div>${renderDestinationsSection(r.destinations)}`;
  }
  const footer = view.statsApiHref
    ? `<p class="note">The same data as JSON: <a href="${safeHref(view.statsApiHref)}">stats API</a>.</p>`
    : "";
  const pageTitle = view.site === null ? view.title : `${isolatedText(view.site)} · ${view.title}`;
  return shell(pageTitle, view.nonce, heading, main, footer);
}

/** A page with a heading and lines of text: errors, bad parameters, sign-in hints. Never holds data. */
export function renderMessagePage(title: string, nonce: string, lines: string[], back?: string): string {
  // Lines quote the request's own values (a bad `tz`), so their controls are shown too.
  const body = lines.map((l) => `<p>${escapeHtml(visibleControls(l))}</p>`).join("");
  const link = back ? `<p><a href="${safeHref(back)}">Back to the dashboard</a></p>` : "";
  return shell(
    title,
    nonce,
    `<h1>${escapeHtml(title)}</h1>`,
    `<section class="error">${body}${link}</section>`,
  );
}
