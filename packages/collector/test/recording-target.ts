import type { StoredEvent, StoredEventType } from "../src/store/types.js";
import type { TrackerOptions } from "../src/tracker/tracker.js";
import type { TrackerEvent, TrackerTarget } from "../src/tracker/types.js";

/** A stand-in collector for tracker tests: records the rows it is given; `collects` answers as configured. */
export interface RecordingTarget extends TrackerTarget {
  rows: StoredEvent[];
}

export function recordingTarget(collects: (type: StoredEventType) => boolean = () => true): RecordingTarget {
  const rows: StoredEvent[] = [];
  return {
    rows,
    ingest(events) {
      const wanted = events.filter((e) => collects(e.type));
      rows.push(...wanted);
      return wanted.length > 0;
    },
    collects,
    flush: async () => {},
  };
}

/** Tracker options that record every event as processors see it last, plus the rows the target received. */
export function recordingTracker(): {
  events: TrackerEvent[];
  target: RecordingTarget;
  record: (event: TrackerEvent) => undefined;
  options: TrackerOptions;
} {
  const events: TrackerEvent[] = [];
  const target = recordingTarget();
  const record = (event: TrackerEvent) => {
    events.push(event);
    return undefined;
  };
  return {
    events,
    target,
    record,
    options: { collector: target, site: "test.example", processors: [record] },
  };
}
