import type { StatsResult } from "../stats/types.js";
import type { CsvCell } from "./csv.js";
import { formatShare } from "./format-share.js";

/** One column of a dashboard table; numeric columns are right-aligned and formatted with digit grouping. */
export interface TableColumn {
  label: string;
  numeric?: boolean;
}

/**
 * A table the page shows and `/export/<id>.csv` downloads. The page and the export read the same rows, so what
 * is downloaded is exactly what is shown.
 */
export interface TableDefinition {
  id: string;
  title: string;
  /** Shown instead of an empty table. */
  empty: string;
  columns: TableColumn[];
  rows(result: StatsResult): CsvCell[][];
}

const n = (label: string): TableColumn => ({ label, numeric: true });
const t = (label: string): TableColumn => ({ label });
/** Shares as the page shows them, so the export holds the same text: `0.4213` → `42.1%`. */
const percent = (share: number) => `${(share * 100).toFixed(1)}%`;
/** A goal's change as the page's deltas write it (`▲ 9.2%`, `▼ 3.0%`, `new`, `no change`): no formula signs. */
const goalChange = (g: StatsResult["goals"][number]) => {
  if (g.change === null) return g.visitors === 0 ? "no change" : "new";
  const points = g.change * 100;
  if (Math.abs(points) < 0.05) return "no change";
  return `${points > 0 ? "▲" : "▼"} ${Math.abs(points).toFixed(1)}%`;
};

/** Every exportable table, in page order. */
export const TABLES: readonly TableDefinition[] = [
  {
    id: "series",
    title: "Visitors and pageviews over time",
    empty: "No visits in this range.",
    columns: [t("Bucket start"), n("Visitors"), n("Pageviews")],
    rows: (r) => r.series.map((p) => [p.bucket, p.visitors, p.pageviews]),
  },
  {
    id: "goals",
    title: "Goals",
    empty: "No goals are configured.",
    columns: [
      t("Goal"),
      t("Matches"),
      n("Visitors"),
      n("Conversion rate"),
      n("Previous period"),
      n("Change"),
    ],
    rows: (r) =>
      r.goals.map((g) => [
        g.name,
        g.match,
        g.visitors,
        percent(g.conversionRate),
        g.previousVisitors,
        goalChange(g),
      ]),
  },
  {
    id: "funnels",
    title: "Funnels",
    empty: "No funnels are configured.",
    columns: [
      t("Funnel"),
      n("Step"),
      t("Matches"),
      n("Visitors"),
      n("Step conversion"),
      n("Overall conversion"),
      n("Drop-off"),
    ],
    rows: (r) =>
      r.funnels.flatMap((f) =>
        f.steps.map((s, k) => [
          f.name,
          k + 1,
          s.match,
          s.visitors,
          percent(s.stepConversion),
          percent(s.overallConversion),
          s.dropOff,
        ]),
      ),
  },
  {
    id: "top-pages",
    title: "Top pages",
    empty: "No pageviews in this range.",
    columns: [t("Page"), n("Visitors"), n("Pageviews")],
    rows: (r) => r.topPages.map((p) => [p.path, p.visitors, p.pageviews]),
  },
  {
    id: "entry-pages",
    title: "Entry pages",
    empty: "No sessions in this range.",
    columns: [t("Page"), n("Sessions")],
    rows: (r) => r.entryPages.map((p) => [p.path, p.sessions]),
  },
  {
    id: "exit-pages",
    title: "Exit pages",
    empty: "No sessions in this range.",
    columns: [t("Page"), n("Sessions")],
    rows: (r) => r.exitPages.map((p) => [p.path, p.sessions]),
  },
  {
    id: "referrers",
    title: "Top referrers",
    empty: "No referred visits in this range.",
    columns: [t("Referrer"), n("Visitors")],
    rows: (r) => r.referrers.map((x) => [x.name, x.visitors]),
  },
  {
    id: "utm",
    title: "UTM sources",
    empty: "No visits with UTM parameters in this range.",
    columns: [t("Source"), t("Medium"), t("Campaign"), n("Visitors")],
    rows: (r) => r.utm.map((u) => [u.source, u.medium, u.campaign, u.visitors]),
  },
  {
    id: "browsers",
    title: "Browsers",
    empty: "No browser data in this range.",
    columns: [t("Browser"), n("Visitors")],
    rows: (r) => r.browsers.map((x) => [x.name, x.visitors]),
  },
  {
    id: "os",
    title: "Operating systems",
    empty: "No operating system data in this range.",
    columns: [t("Operating system"), n("Visitors")],
    rows: (r) => r.os.map((x) => [x.name, x.visitors]),
  },
  {
    id: "devices",
    title: "Devices",
    empty: "No device data in this range.",
    columns: [t("Device"), n("Visitors")],
    rows: (r) => r.devices.map((x) => [x.name, x.visitors]),
  },
  {
    id: "events",
    title: "Custom events",
    empty: "No custom events in this range.",
    columns: [t("Event"), n("Count"), n("Visitors")],
    rows: (r) => r.events.map((e) => [e.name, e.count, e.visitors]),
  },
  {
    id: "event-props",
    title: "Custom event properties",
    empty: "No event properties in this range.",
    columns: [t("Event"), t("Property"), t("Value"), n("Count")],
    rows: (r) => r.events.flatMap((e) => e.props.map((p) => [e.name, p.key, p.value, p.count])),
  },
  {
    id: "users",
    title: "Most active users",
    empty: "No signed-in users in this range (events carry no user id).",
    columns: [t("User"), n("Events"), n("Pageviews"), t("Last seen")],
    rows: (r) => r.users.map((u) => [u.userId, u.events, u.pageviews, u.lastSeen]),
  },
  {
    id: "coverage",
    title: "Coverage by page",
    empty: "No pages were counted by the injector in this range.",
    columns: [t("Page"), n("Page loads"), n("Reported"), n("Coverage")],
    rows: (r) =>
      r.coverage
        ? [
            ["All pages", r.coverage.served, r.coverage.reported, formatShare(r.coverage.share)],
            ...r.coverage.pages.map((p) => [
              p.path,
              p.served,
              p.reported,
              p.served > 0 ? formatShare(p.reported / p.served) : null,
            ]),
          ]
        : [],
  },
  {
    id: "search-terms",
    title: "Search terms",
    empty: "No site searches in this range.",
    columns: [t("Term"), n("Searches")],
    rows: (r) => r.searchTerms.map((s) => [s.term, s.count]),
  },
];

/** The table with this export id, or undefined. */
export function findTable(id: string): TableDefinition | undefined {
  return TABLES.find((table) => table.id === id);
}
