export type { CollectionSwitches } from "./pipeline/switches.js";

import type { Request, Router } from "express";
import type { ConversionOptions } from "./config/conversion-settings.js";
import type { ForwardTarget } from "./config/forward-settings.js";
import type { BatchQueueTuning } from "./destinations/batch-queue.js";
import type { Destination } from "./destinations/types.js";
import type { AccessRule } from "./http/auth-types.js";
import type { CorsSetting } from "./http/cors.js";
import type { RateLimitOptions } from "./http/rate-limit.js";
import type { Processor } from "./pipeline/processors.js";
import type { CollectionSwitches } from "./pipeline/switches.js";
import type { WireLimits } from "./pipeline/validate.js";
import type { FunnelDefinition, GoalDefinition, StatsSource } from "./stats/types.js";
import type { EventStore } from "./store/types.js";

/** Options of the dashboard router factory (`createDashboardRouter` in the dashboard module). */
export interface DashboardRouterOptions {
  stats: StatsSource;
  /** Unset: the dashboard answers 401 to everyone. */
  access?: AccessRule | undefined;
  /** Where the dashboard is mounted, e.g. `/tracklet/`, for its own links. */
  basePath: string;
  /** The collector's stats API path, for the dashboard's link. */
  statsApiPath?: string | false | undefined;
  searchEvents?: string[] | undefined;
  goals?: GoalDefinition[] | undefined;
  funnels?: FunnelDefinition[] | undefined;
  /** The site shown when the URL names none. */
  defaultSite?: string | undefined;
  /** Path the sign-in cookie is scoped to: the collector's mount path, so the stats API receives it too. */
  cookiePath?: string | undefined;
}

export type DashboardFactory = (options: DashboardRouterOptions) => Router;

/**
 * `goals` and `funnels` (name → definition, as in the config's `[goals]` and `[funnels]` sections) replace those
 * sections when given: `{ goals: { signup: "event:Signup" }, funnels: { checkout: "page:/cart, event:Purchase" } }`.
 */
export interface CollectorOptions extends Partial<CollectionSwitches>, ConversionOptions {
  /**
   * An `EventStore`, or a spec: a SQLite file path or a `postgres://` URL.
   * Default: `[collector] store` from the config, else `./.tracklet/tracklet.sqlite`.
   */
  store?: EventStore | string;
  /** An airflow.cfg-style file whose `[collector]` section supplies defaults for every option below. */
  configFile?: string;
  /** Environment for `TRACKLET__COLLECTOR__*` overrides (default `process.env`). */
  env?: Record<string, string | undefined>;
  /**
   * Route paths inside the router (defaults `/collect`, `/api/stats`, `/api/sites`, `/documents` for the
   * injector's page counts, and `/` for the dashboard).
   */
  paths?: { collect?: string; stats?: string; sites?: string; dashboard?: string; documents?: string };
  /** Who may read `/api/stats`, `/api/sites` and the dashboard. Unset: nobody (401). */
  access?: AccessRule;
  /** The bearer token an injector in another process posts its page counts to `paths.documents` with. */
  coverageToken?: string;
  /** Origins allowed to post events cross-origin; same-host posts are always allowed. Default `[]`. */
  cors?: CorsSetting;
  /** Largest accepted request body in bytes (default 64 KB). */
  maxBodyBytes?: number;
  /** Field limits (defaults: the SDK's `WIRE_LIMITS`). */
  limits?: Partial<WireLimits>;
  /** Per-client token bucket (default 20 req/s, burst 100); `false` turns it off. */
  rateLimit?: RateLimitOptions | false;
  /** The signed-in user of a request (the app's session or bearer-token auth); stored as `userId`. */
  getUser?: (req: Request) => string | null | undefined | Promise<string | null | undefined>;
  /** Delete events older than this many days, in the background (default: keep forever). */
  retentionDays?: number | null;
  /**
   * The store's write queue: most events per transaction (default 10,000; batches grow towards it while a write
   * is in flight), events waiting that start a write (default 500), flush interval, capacity (default 50,000;
   * beyond it `/collect` answers 503), retries, and batches written at once (default 4 on PostgreSQL, a
   * connection pool; 1 on SQLite, one writer).
   */
  queue?: BatchQueueTuning;
  /** Destinations built in code (`ga4Destination`, `segmentDestination`, …), beside the store and `forward`. */
  destinations?: Destination[];
  /** Run on every event after sessions, before any destination; a processor may change or drop an event. */
  processors?: Processor[];
  /** `forward`: services every collected event goes to, configured by the options below. */
  forward?: ForwardTarget[];
  ga4MeasurementId?: string;
  ga4ApiSecret?: string;
  ga4Endpoint?: string;
  segmentWriteKey?: string;
  segmentEndpoint?: string;
  metarouterWriteKey?: string;
  metarouterEndpoint?: string;
  /** The only site ids events are taken for; others get a 403 naming the field. Default: any. */
  sites?: string[];
  /** Without `sites`: most distinct site ids taken (the store's count), new ones refused past it. Default 100. */
  maxSites?: number;
  /** The site the dashboard opens on. Default: the first of `sites`, else the one with the most pageviews. */
  defaultSite?: string;
  /** Milliseconds a `/collect` request may take to send its body before a 408 (default 10,000). */
  bodyTimeoutMs?: number;
  /** Event names whose `props.query` counts as a site search term (default `["Search"]`). */
  searchEvents?: string[];
  /**
   * Mounts a dashboard at `paths.dashboard`: `true` for the built-in `createDashboardRouter`, or any router
   * factory. It gets the store as its stats source and the same `access` rule as the stats API.
   */
  dashboard?: DashboardFactory | boolean;
  /** Prefix the router is mounted under (for the dashboard's links), e.g. `/tracklet`. Default `""`. */
  mountPath?: string;
  /** Clock (tests). */
  now?: () => number;
  /** Where write errors and background problems are reported (default `console.warn`). */
  onError?: (message: string, err?: unknown) => void;
}
