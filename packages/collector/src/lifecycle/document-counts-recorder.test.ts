import { describe, expect, it, vi } from "vitest";
import { storedEvent } from "../../test/store-suite.js";
import type { DocumentHourCounts, EventStore } from "../store/types.js";
import { DocumentCountsRecorder } from "./document-counts-recorder.js";

const HOUR = 3_600_000;

function fakeStore(fail: () => boolean) {
  const written: DocumentHourCounts[][] = [];
  const store = {
    addDocumentCounts: async (rows: DocumentHourCounts[]) => {
      if (fail()) throw new Error("disk full");
      written.push(rows.map((r) => ({ ...r })));
    },
  } as unknown as EventStore;
  return { store, written };
}

describe("DocumentCountsRecorder", () => {
  it("sums served pages and first pageviews per site, path and hour", async () => {
    const { store, written } = fakeStore(() => false);
    const recorder = new DocumentCountsRecorder({ store, ready: Promise.resolve(), onError: vi.fn() });
    recorder.served([{ site: "s", path: "/", hour: HOUR, count: 3 }]);
    const first = (path: string, ts: number, firstView = true) => ({
      row: storedEvent({ site: "s", type: "pageview", path, ts, visitorId: "v", sessionId: "x" }),
      userAgent: null,
      locale: null,
      firstView,
    });
    recorder.reported([first("/", HOUR + 5), first("/#/deep", HOUR + 6), first("/", HOUR + 7, false)]);
    recorder.reported([first("/", 2 * HOUR)]);
    await recorder.stop();
    expect(written).toEqual([
      [
        { site: "s", path: "/", hour: HOUR, served: 3, reported: 2 },
        { site: "s", path: "/", hour: 2 * HOUR, served: 0, reported: 1 },
      ],
    ]);
  });

  it("keeps the counts of a failed write for the next one", async () => {
    let fail = true;
    const { store, written } = fakeStore(() => fail);
    const onError = vi.fn();
    const recorder = new DocumentCountsRecorder({ store, ready: Promise.resolve(), onError });
    recorder.served([{ site: "s", path: "/", hour: 0, count: 1 }]);
    await recorder.record();
    expect(onError).toHaveBeenCalledWith("could not record the page counts", expect.any(Error));
    fail = false;
    recorder.served([{ site: "s", path: "/", hour: 0, count: 1 }]);
    await recorder.stop();
    expect(written).toEqual([[{ site: "s", path: "/", hour: 0, served: 2, reported: 0 }]]);
  });
});
