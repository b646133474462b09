import { describe, expect, it } from "vitest";
import { OperationInterrupted } from "./long-operation.js";
import { RetentionJob } from "./retention.js";

describe("RetentionJob", () => {
  it("ends a pass in progress on stop, without reporting it as a failure", async () => {
    const errors: string[] = [];
    let started!: () => void;
    const running = new Promise<void>((r) => {
      started = r;
    });
    const job = new RetentionJob({
      days: 30,
      onError: (message) => errors.push(message),
      store: {
        deleteOlderThan: (_cutoff, options) =>
          new Promise((_resolve, reject) => {
            started();
            options?.signal?.addEventListener("abort", () => reject(new OperationInterrupted("retention")));
          }),
      },
    });
    const pass = job.runOnce();
    await running;
    job.stop();
    await expect(pass).rejects.toThrow(OperationInterrupted);
    expect(errors).toEqual([]);
  });
});
