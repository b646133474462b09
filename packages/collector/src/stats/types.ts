/** The stats API contract: what `GET /api/stats` answers and what the dashboard renders. */

export type StatsInterval = "hour" | "day" | "week";

export interface StatsQuery {
  site: string;
  /** Inclusive start, exclusive end. */
  from: Date;
  to: Date;
  interval: StatsInterval;
  /** IANA time zone the buckets and DAU/WAU/MAU days are computed in, e.g. `Europe/Paris`. Default `UTC`. */
  timezone: string;
  /** Rows per top-N table (default 10, max 100). */
  limit: number;
  /** Event names treated as site searches; their `props.query` (or `props.q`/`props.term`) is the term. */
  searchEvents: string[];
  /** Goals to report (default none). */
  goals?: GoalDefinition[];
  /** Funnels to report (default none). */
  funnels?: FunnelDefinition[];
}

/**
 * What one goal or funnel step matches: a custom event by name (and props, all equal), or a pageview whose path
 * matches a pattern where `*` stands for any characters.
 */
export type ConversionMatch =
  | { kind: "event"; name: string; props: Record<string, string> }
  | { kind: "page"; path: string };

export interface GoalDefinition {
  name: string;
  match: ConversionMatch;
}

/** Ordered steps (2–8) done within one session. */
export interface FunnelDefinition {
  name: string;
  steps: ConversionMatch[];
}

export interface StatsTotals {
  visitors: number;
  pageviews: number;
  sessions: number;
  events: number;
  /** Share of sessions with exactly one pageview, 0..1. */
  bounceRate: number;
  /** Mean session length in seconds (first to last event). */
  avgSessionSeconds: number;
}

export interface SeriesPoint {
  /** Bucket start as an ISO 8601 string with the offset of `timezone`. */
  bucket: string;
  visitors: number;
  pageviews: number;
}

export interface NamedCount {
  name: string;
  visitors: number;
}

export interface PageRow {
  path: string;
  pageviews: number;
  visitors: number;
}

export interface SessionPageRow {
  path: string;
  sessions: number;
}

export interface UtmRow {
  source: string;
  medium: string | null;
  campaign: string | null;
  visitors: number;
}

export interface EventPropRow {
  key: string;
  value: string;
  count: number;
}

export interface EventRow {
  name: string;
  count: number;
  visitors: number;
  props: EventPropRow[];
}

export interface UserRow {
  userId: string;
  events: number;
  pageviews: number;
  lastSeen: string;
}

export interface SearchTermRow {
  term: string;
  count: number;
}

export interface GoalRow {
  name: string;
  /** The definition as written in the config: `event:Signup plan=pro`, `page:/pricing*`. */
  match: string;
  /** Distinct people (user id when known, else visitor hash) who converted in the range. */
  visitors: number;
  /** `visitors` over the range's visitors, 0..1. */
  conversionRate: number;
  /** Converted people in the period of the same length just before `from`. */
  previousVisitors: number;
  /** Relative change of `visitors` against `previousVisitors` (0.25 = +25%); null when there were none before. */
  change: number | null;
}

export interface FunnelStepRow {
  match: string;
  /** Distinct people who did this step after all the earlier ones, in order, within one session. */
  visitors: number;
  /** Share of the previous step's people who did this one (1 for the first step). */
  stepConversion: number;
  /** Share of the first step's people who got this far. */
  overallConversion: number;
  /** People of the previous step who did not do this one (0 for the first step). */
  dropOff: number;
}

export interface FunnelRow {
  name: string;
  steps: FunnelStepRow[];
}

export interface StatsResult {
  site: string;
  from: string;
  to: string;
  interval: StatsInterval;
  timezone: string;
  totals: StatsTotals;
  series: SeriesPoint[];
  /** Distinct visitors (user id when known, else visitor hash) on the last day/7 days/30 days ending at `to`. */
  activeUsers: { dau: number; wau: number; mau: number };
  topPages: PageRow[];
  entryPages: SessionPageRow[];
  exitPages: SessionPageRow[];
  referrers: NamedCount[];
  utm: UtmRow[];
  browsers: NamedCount[];
  os: NamedCount[];
  devices: NamedCount[];
  events: EventRow[];
  users: UserRow[];
  searchTerms: SearchTermRow[];
  /** One row per configured goal, in config order. */
  goals: GoalRow[];
  /** One row per configured funnel, in config order. */
  funnels: FunnelRow[];
  /** Activity in the 30 minutes before now (independent of from/to). */
  live: { visitors: number; pageviews: number };
  /** Per destination, for the hours of the range (all sites): present when the store keeps the counts. */
  destinations?: DestinationCounts[];
  /** Pages served with the snippet against their first pageviews, for the hours of the range (see `Coverage`). */
  coverage?: Coverage;
}

/** Pages of one path served with the snippet, and how many of them reported their first pageview. */
export interface PageCoverage {
  path: string;
  /** Pages served to browsers with the snippet (the injector's counts; bots and non-navigations left out). */
  served: number;
  /** First pageviews of such pages the collector stored (SPA navigations and bfcache restores not included). */
  reported: number;
}

/**
 * How much of the traffic tracklet sees: the pages the injector served with the snippet against the first
 * pageviews received (blocked scripts, closed tabs, failed sends make the difference). Counted per UTC hour, for
 * the hours that start in the range.
 */
export interface Coverage {
  served: number;
  reported: number;
  /** `reported / served` (above 1 when pages reported that the injector did not count, e.g. served from a cache). */
  share: number;
  /** The paths with the most pages served first, at most the query's `limit`. */
  pages: PageCoverage[];
}

/**
 * What one destination (`store`, `ga4`, `segment`, …) did with the events of a range, for reconciling
 * tracklet's figures with a vendor's. `dropped` includes events the destination has no equivalent for.
 */
export interface DestinationCounts {
  destination: string;
  /** Events the pipeline handed to it. */
  collected: number;
  /** Events it delivered (for the store: wrote). */
  forwarded: number;
  /** Events it gave up on after its retries. */
  failed: number;
  /** Events it lost without sending (queue full, shutdown) or could not map. */
  dropped: number;
}

/** A site and its pageviews in the last 30 days. */
export interface SitePageviews {
  site: string;
  pageviews: number;
}

/** Implemented by every store; the stats route and the dashboard only see this. */
export interface StatsSource {
  stats(query: StatsQuery): Promise<StatsResult>;
  /** Sites that have at least one event, in name order. */
  sites(): Promise<string[]>;
  /**
   * At most `limit` sites with events, the most pageviews in the last 30 days first (then by name): the
   * dashboard opens on the first and offers these in its picker.
   */
  topSites(limit: number): Promise<SitePageviews[]>;
  /** Destination counts of the hours that start in [from, to). Optional: stores without it show none. */
  destinationCounts?(from: Date, to: Date): Promise<DestinationCounts[]>;
  /** Page counts per path of one site for the hours that start in [from, to). Optional: no Coverage figure. */
  documentCounts?(site: string, from: Date, to: Date): Promise<PageCoverage[]>;
}
