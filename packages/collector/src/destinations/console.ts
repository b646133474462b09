import type { StoredEvent } from "../store/types.js";
import { queuedDestination } from "./queued-destination.js";
import type { Destination } from "./types.js";

export interface ConsoleDestinationOptions {
  /** `pretty`: one readable line per event; `json`: one JSON object (the stored row) per line. Default `pretty`. */
  format?: "pretty" | "json";
  /** Default `process.stdout`. */
  stream?: { write(chunk: string): unknown };
}

/** Prints every event as it arrives, for development and for platforms that collect stdout. */
export function consoleDestination(options: ConsoleDestinationOptions = {}): Destination {
  const format = options.format ?? "pretty";
  const stream = options.stream ?? process.stdout;
  return queuedDestination<string>({
    name: "console",
    whenFull: "drop-oldest",
    flushAt: 1,
    flushIntervalMs: 0,
    map: ({ row }) => `${format === "json" ? JSON.stringify(row) : formatPretty(row)}\n`,
    async send(lines) {
      stream.write(lines.join(""));
    },
  });
}

/** `2024-05-01T12:00:00.000Z site.example pageview /pricing` or `… event Signup {"plan":"pro"}` */
export function formatPretty(row: StoredEvent): string {
  const what = row.type === "pageview" || row.type === "engagement" ? (row.path ?? row.url ?? "") : row.name;
  const props = row.props && Object.keys(row.props).length > 0 ? ` ${JSON.stringify(row.props)}` : "";
  return `${new Date(row.ts).toISOString()} ${row.site} ${row.type} ${what}${props}`;
}
