/**
 * Opt-out switches shared by the tracker and the forwarders: one global switch plus independently switchable
 * streams, as in Alliance Auth's analytics (the caller reads them from its configuration).
 */

/** The streams a caller can switch off independently. Absent means on. */
export interface StreamSwitches {
  /** Browser pageviews (and their engagement reports). */
  pageviews?: boolean;
  /** Browser custom events. */
  events?: boolean;
  /** Events emitted on the server by the tracker and the action log. */
  server?: boolean;
}

export type StreamName = keyof StreamSwitches;

export interface OptOutOptions {
  /** When true nothing is emitted or forwarded. */
  disabled?: boolean;
  streams?: StreamSwitches;
}

/** True when `stream` may flow under `options`. */
export function isStreamEnabled(options: OptOutOptions, stream: StreamName): boolean {
  if (options.disabled === true) return false;
  return options.streams?.[stream] !== false;
}
