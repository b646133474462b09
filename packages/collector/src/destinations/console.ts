import { safeJsonStringify } from "../tracker/safe-json.js";
import type { TrackerBackend, TrackerEvent } from "../tracker/types.js";

export interface ConsoleBackendOptions {
  /** `pretty`: one readable line per event; `json`: one JSON object per line. Default `pretty`. */
  format?: "pretty" | "json";
  /** Default `process.stdout`. */
  stream?: { write(chunk: string): unknown };
}

/** Prints events, for development and for platforms that collect stdout. */
export function createConsoleBackend(options: ConsoleBackendOptions = {}): TrackerBackend {
  const format = options.format ?? "pretty";
  const stream = options.stream ?? process.stdout;
  return {
    send(event: TrackerEvent) {
      stream.write(`${format === "json" ? safeJsonStringify(event) : formatPretty(event)}\n`);
    },
  };
}

/** `2024-05-01T12:00:00.000Z navigation.request {"url":"…"} context={"user_id":1}` */
export function formatPretty(event: TrackerEvent): string {
  const context = Object.keys(event.context).length > 0 ? ` context=${safeJsonStringify(event.context)}` : "";
  return `${event.timestamp} ${event.name} ${safeJsonStringify(event.data)}${context}`;
}
