// The documented API: factories, their options and result types. Everything else is internal.
export { type ActionLogOptions, actionLog, logAction, REDACTED } from "./action-log/action-log.js";
export type { UserAction } from "./action-log/user-action.js";
export { type Collector, type CollectorMetrics, createCollector } from "./collector.js";
export type {
  CollectionSwitches,
  CollectorOptions,
  DashboardFactory,
  DashboardRouterOptions,
} from "./collector-options.js";
export type { CollectorSettings } from "./config/collector-config.js";
export type {
  AnalyticsMode,
  AnalyticsModeSettings,
  FirstPartyForwarding,
  FirstPartyTool,
} from "./config/first-party-settings.js";
export type { ForwardTarget } from "./config/forward-settings.js";
export { createDashboardRouter, type DashboardOptions } from "./dashboard/router.js";
export type { SessionTimes } from "./dashboard/sessions.js";
export { type BatchQueueTuning, SendError, type WhenFull } from "./destinations/batch-queue.js";
export { type ConsoleDestinationOptions, consoleDestination } from "./destinations/console.js";
export { type Ga4DestinationOptions, ga4Destination } from "./destinations/ga4.js";
export { type JsonLinesDestinationOptions, jsonLinesDestination } from "./destinations/json-lines.js";
export { type MatomoDestinationOptions, matomoDestination } from "./destinations/matomo.js";
export { type QueuedDestinationSpec, queuedDestination } from "./destinations/queued-destination.js";
export {
  type MetaRouterDestinationOptions,
  metaRouterDestination,
  type SegmentDestinationOptions,
  segmentDestination,
} from "./destinations/segment.js";
export type {
  CollectedEvent,
  Destination,
  DestinationErrorHandler,
  DestinationMetrics,
} from "./destinations/types.js";
export type { AccessRule } from "./http/auth-types.js";
export type { CorsSetting } from "./http/cors.js";
export type { CollectErrorCode } from "./http/errors.js";
export type { RateLimitOptions } from "./http/rate-limit.js";
export {
  type LongOperationOptions,
  type LongOperationProgress,
  OperationInterrupted,
} from "./lifecycle/long-operation.js";
export type { Processor } from "./pipeline/processors.js";
export type { WireLimits } from "./pipeline/validate.js";
export type { ServedCount } from "./pipeline/validate-documents.js";
export { parseConversionMatch } from "./stats/conversion-match.js";
export type * from "./stats/types.js";
export { openStore } from "./store/open-store.js";
export { PostgresStore, type PostgresStoreOptions } from "./store/postgres/postgres-store.js";
export { DEFAULT_SQLITE_PATH, SqliteStore, type SqliteStoreOptions } from "./store/sqlite/sqlite-store.js";
export type {
  DashboardSession,
  DashboardSessionStore,
  DestinationHourCounts,
  DocumentHourCounts,
  EventStore,
  StoredEvent,
  StoredEventType,
} from "./store/types.js";
export {
  type RequestContext,
  type RequestContextOptions,
  requestContext,
} from "./tracker/request-context.js";
export { createTracker, type Tracker, type TrackerOptions } from "./tracker/tracker.js";
export type {
  TrackerErrorHandler,
  TrackerErrorInfo,
  TrackerEvent,
  TrackerProcessor,
  TrackerTarget,
} from "./tracker/types.js";
