/**
 * `@tracklet/browser-sdk`: a tiny browser tracker. Importing this module touches no browser global;
 * `createTracker()` starts tracking.
 */
export { DEFAULT_DOWNLOAD_EXTENSIONS } from "./clicks.js";
export type {
  BridgeName,
  EventOptions,
  PageviewOptions,
  SendResult,
  Tracker,
  TrackerOptions,
} from "./options.js";
export { createTracker } from "./tracker.js";
export { pathAllowed } from "./url.js";
export * from "./wire.js";
