export { type ActionLogOptions, actionLog, logAction, REDACTED } from "./action-log/action-log.js";
export type { UserAction } from "./action-log/user-action.js";
export {
  type ConsoleBackendOptions,
  createConsoleBackend,
  formatPretty,
} from "./destinations/console.js";
export { type FlattenLimits, flattenProps } from "./tracker/flatten-props.js";
export {
  createJsonLinesBackend,
  type JsonLinesBackend,
  type JsonLinesBackendOptions,
} from "./destinations/json-lines.js";
export {
  createStoreBackend,
  type StoreBackend,
  type StoreBackendOptions,
  toStoredEvent,
} from "./destinations/store.js";
export { type Collector, type CollectorMetrics, createCollector, isCollected } from "./collector.js";
export type {
  CollectionSwitches,
  CollectorOptions,
  DashboardFactory,
  DashboardRouterOptions,
} from "./collector-options.js";
export {
  COLLECTOR_ENV_PREFIX,
  COLLECTOR_SECTION,
  type CollectorSettings,
  collectorSectionOf,
  readCollectorSection,
  resolveCollectorSettings,
} from "./config/collector-config.js";
export { createDashboardRouter, type DashboardOptions } from "./dashboard/router.js";
export { fullJitterDelay, parseRetryAfter } from "./destinations/backoff.js";
export { DeliveryQueue, type DeliveryQueueOptions, type HttpRequest } from "./forward/delivery-queue.js";
export { type ForwardEvent, toForwardEvent } from "./forward/forward-event.js";
export { createForwarder, type ForwarderSpec } from "./forward/forwarder.js";
export { createGa4Forwarder, type Ga4ForwarderOptions } from "./destinations/ga4.js";
export { GA4_LIMITS, type Ga4Event, type Ga4ParamValue, ga4Name, toGa4Event } from "./destinations/ga4-mapping.js";
export {
  createSegmentForwarder,
  SEGMENT_LIMITS,
  type SegmentForwarderOptions,
  type SegmentMessage,
} from "./destinations/segment.js";
export type { Forwarder, ForwarderOptions, ForwarderStats, ForwardInput } from "./forward/types.js";
export { authChallenge, checkAccess } from "./http/auth.js";
export type { AccessRule } from "./http/auth-types.js";
export type { CorsSetting } from "./http/cors.js";
export { type CollectErrorCode, HttpError } from "./http/errors.js";
export { RateLimiter, type RateLimitOptions } from "./http/rate-limit.js";
export { DailySalt } from "./pipeline/daily-salt.js";
export { enrichEvents, pagePath, type RequestContext as CollectRequestContext } from "./pipeline/enrich.js";
export { sessionId, visitorId } from "./pipeline/identity.js";
export { referrerSource, utmParams } from "./pipeline/referrer-source.js";
export { SESSION_TIMEOUT_MS, SessionResolver } from "./pipeline/sessions.js";
export { isBotUserAgent, parseUserAgent, type UserAgentInfo } from "./pipeline/user-agent.js";
export {
  checkContentType,
  DEFAULT_LIMITS,
  parseWireBody,
  validateWireBody,
  type WireLimits,
} from "./pipeline/validate.js";
export { WriteQueue, type WriteQueueMetrics, type WriteQueueOptions } from "./destinations/batch-queue.js";
export { getInstallId, INSTALL_ID_KEY } from "./install-id.js";
export { RetentionJob, type RetentionJobOptions, retentionCutoff } from "./lifecycle/retention.js";
export { parseStatsQuery } from "./stats/parse-query.js";
export { computeStats, type StatsDialect } from "./stats/sql-stats.js";
export { formatZoned, isValidTimeZone, timeBuckets } from "./stats/time-zone.js";
export type * from "./stats/types.js";
export { isPostgresUrl, openStore } from "./store/open-store.js";
export { PostgresStore, type PostgresStoreOptions } from "./store/postgres/postgres-store.js";
export { DEFAULT_SQLITE_PATH, SqliteStore, type SqliteStoreOptions } from "./store/sqlite/sqlite-store.js";
export type { EventStore, StoredEvent, StoredEventType } from "./store/types.js";
export { compileEventPattern } from "./tracker/event-pattern.js";
export {
  isStreamEnabled,
  type OptOutOptions,
  type StreamName,
  type StreamSwitches,
} from "./tracker/opt-out.js";
export {
  type RequestContext,
  type RequestContextOptions,
  requestContext,
} from "./tracker/request-context.js";
export { safeJsonStringify, toJsonSafe } from "./tracker/safe-json.js";
export { createTracker, type Tracker, type TrackerOptions } from "./tracker/tracker.js";
export type {
  BackendRoute,
  EventPattern,
  TrackerBackend,
  TrackerErrorHandler,
  TrackerErrorInfo,
  TrackerEvent,
  TrackerProcessor,
} from "./tracker/types.js";
