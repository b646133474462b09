export { type ActionLogOptions, actionLog, logAction, REDACTED } from "./action-log/action-log.js";
export type { UserAction } from "./action-log/user-action.js";
export {
  type ConsoleBackendOptions,
  createConsoleBackend,
  formatPretty,
} from "./backends/console-backend.js";
export { type FlattenLimits, flattenProps } from "./backends/flatten-props.js";
export {
  createJsonLinesBackend,
  type JsonLinesBackend,
  type JsonLinesBackendOptions,
} from "./backends/json-lines-backend.js";
export {
  createStoreBackend,
  type StoreBackend,
  type StoreBackendOptions,
  toStoredEvent,
} from "./backends/store-backend.js";
export { createDashboardRouter, type DashboardOptions } from "./dashboard/router.js";
export { getInstallId, INSTALL_ID_KEY } from "./install-id.js";
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
