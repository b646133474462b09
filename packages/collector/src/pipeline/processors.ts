import type { CollectedEvent } from "../destinations/types.js";

/**
 * A step after sessions and before the destinations, as in edX event-tracking: return the event (changed or
 * replaced) to pass it on, `null` to drop it, `undefined` to keep it as it is. A throwing processor drops the
 * event, so a failing redaction step never lets unredacted data through.
 */
export type Processor = (event: CollectedEvent) => CollectedEvent | null | undefined;

/** Runs every processor over every event; returns the events that remain and how many were dropped. */
export function runProcessors(
  events: CollectedEvent[],
  processors: readonly Processor[],
  onError: (message: string, error: unknown) => void,
): { kept: CollectedEvent[]; dropped: number } {
  if (processors.length === 0) return { kept: events, dropped: 0 };
  const kept: CollectedEvent[] = [];
  for (const original of events) {
    let event: CollectedEvent | null = original;
    for (let i = 0; i < processors.length && event !== null; i++) {
      try {
        const next = (processors[i] as Processor)(event);
        if (next !== undefined) event = next;
      } catch (error) {
        onError(`processor #${i} failed; the event is dropped`, error);
        event = null;
      }
    }
    if (event !== null) kept.push(event);
  }
  return { kept, dropped: events.length - kept.length };
}
