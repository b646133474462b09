import { describe, expect, it, vi } from "vitest";
import { recordingTarget, recordingTracker } from "../../test/recording-target.js";
import { createTracker } from "../tracker/tracker.js";
import { actionLog, logAction } from "./action-log.js";
import { truncateUtf8 } from "./truncate.js";
import type { UserAction } from "./user-action.js";

function setup() {
  const { events, options } = recordingTracker();
  const tracker = createTracker(options);
  let clock = 1000;
  const now = () => (clock += 5);
  const actions = () => events.map((e) => e.data as unknown as UserAction);
  return { tracker, events, actions, now };
}

describe("actionLog", () => {
  it("emits a UserAction record for a successful sync call and returns the result unchanged", () => {
    const { tracker, events, actions, now } = setup();
    const result = { rows: [1, 2] };
    const search = actionLog((query: string, page: number) => (query && page ? result : null), {
      tracker,
      now,
      hostName: "web-1",
      getUser: () => "ann",
    });
    expect(search("tables", 2)).toBe(result);
    expect(events[0]?.name).toBe("anonymous");
    expect(actions()).toEqual([
      {
        host_name: "web-1",
        start_epoch_ms: 1005,
        end_epoch_ms: 1010,
        pos_args_json: '["tables",2]',
        keyword_args_json: "{}",
        output: '{"rows":[1,2]}',
        error: null,
        user: "ann",
      },
    ]);
  });

  it("uses the function name as event name and the tracker context's user by default", () => {
    const { tracker, events, actions } = setup();
    function getTable(key: string) {
      return key.toUpperCase();
    }
    const logged = actionLog(getTable, { tracker });
    expect(logged.name).toBe("getTable");
    tracker.context("request", { user: "u-7" }, () => logged("a"));
    expect(events[0]?.name).toBe("getTable");
    expect(actions()[0]?.user).toBe("u-7");
    expect(actions()[0]?.output).toBe('"A"');
  });

  it("rethrows the same error object on a sync throw and records it", () => {
    const { tracker, actions } = setup();
    const boom = new TypeError("bad key");
    const logged = actionLog(
      (_k: string) => {
        throw boom;
      },
      { tracker, name: "edit" },
    );
    let caught: unknown;
    try {
      logged("k");
    } catch (error) {
      caught = error;
    }
    expect(caught).toBe(boom);
    expect(actions()[0]?.error).toMatch(/^TypeError: bad key/);
    expect(actions()[0]?.output).toBeNull();
  });

  it("rejects with the same error object on an async rejection and records it", async () => {
    const { tracker, actions } = setup();
    const boom = new Error("db down");
    const logged = actionLog(async (_id: number) => Promise.reject(boom), { tracker, name: "load" });
    await expect(logged(1)).rejects.toBe(boom);
    expect(actions()[0]?.error).toContain("db down");
    expect(actions()[0]?.pos_args_json).toBe("[1]");
  });

  it("resolves with the same value for async functions and logs after settling", async () => {
    const { tracker, actions } = setup();
    const value = { ok: true };
    const logged = actionLog(async () => value, { tracker, name: "a" });
    await expect(logged()).resolves.toBe(value);
    expect(actions()[0]?.output).toBe('{"ok":true}');
  });

  it("keeps `this` for methods", () => {
    const { tracker } = setup();
    const service = {
      prefix: "svc:",
      lookup(key: string) {
        return this.prefix + key;
      },
    };
    service.lookup = actionLog(service.lookup, { tracker });
    expect(service.lookup("x")).toBe("svc:x");
  });

  it("works as a standard method decorator named after the method", () => {
    const { tracker, events } = setup();
    class Catalog {
      factor = 3;
      scale(n: number) {
        return n * this.factor;
      }
    }
    // What a TypeScript 5 `@logAction({ tracker })` on `scale` compiles to.
    const context = { kind: "method", name: "scale" } as unknown as ClassMethodDecoratorContext;
    Catalog.prototype.scale = logAction({ tracker })(Catalog.prototype.scale, context);
    expect(new Catalog().scale(2)).toBe(6);
    expect(events[0]?.name).toBe("scale");
  });

  it("splits a trailing plain object into keyword args and redacts by argument name and key", () => {
    const { tracker, actions } = setup();
    const login = actionLog(
      (_user: string, _password: string, _options: { remember: boolean; token: string }) => true,
      { tracker, keywordArgs: true, argNames: ["user", "password"], redact: ["password", "token"] },
    );
    login("ann", "hunter2", { remember: true, token: "abc" });
    const action = actions()[0];
    expect(JSON.parse(action?.pos_args_json ?? "")).toEqual(["ann", "[redacted]"]);
    expect(JSON.parse(action?.keyword_args_json ?? "")).toEqual({ remember: true, token: "[redacted]" });
    expect(action?.pos_args_json).not.toContain("hunter2");
  });

  it("redacts nested keys inside positional objects", () => {
    const { tracker, actions } = setup();
    const f = actionLog((_o: unknown) => undefined, { tracker, redact: ["secret"] });
    f({ a: [{ secret: "s", b: 1 }] });
    expect(actions()[0]?.pos_args_json).toBe('[{"a":[{"secret":"[redacted]","b":1}]}]');
    expect(actions()[0]?.output).toBeNull();
  });

  it("truncates long output with a marker, within the byte budget", () => {
    const { tracker, actions } = setup();
    const f = actionLog(() => "é".repeat(5000), { tracker, maxOutputBytes: 256 });
    f();
    const output = actions()[0]?.output ?? "";
    expect(Buffer.byteLength(output)).toBeLessThanOrEqual(256);
    expect(output).toMatch(/…\[truncated, 10002 bytes\]$/);
    expect(output).not.toContain("\uFFFD");
  });

  it("never throws on circular, BigInt or hostile arguments", () => {
    const { tracker, actions } = setup();
    const circular: Record<string, unknown> = { name: "loop" };
    circular.self = circular;
    const hostile = {
      toJSON() {
        throw new Error("no");
      },
    };
    const f = actionLog((..._args: unknown[]) => 10n, { tracker });
    expect(f(circular, 5n, hostile, () => 1)).toBe(10n);
    expect(JSON.parse(actions()[0]?.pos_args_json ?? "")).toEqual([
      { name: "loop", self: "[Circular]" },
      "5",
      "[Unserializable]",
      "[Function anonymous]",
    ]);
    expect(actions()[0]?.output).toBe('"10"');
  });

  it("logs nothing, and still runs the function, when the collector does not collect server events", () => {
    const target = recordingTarget((type) => type !== "server");
    const tracker = createTracker({ collector: target, site: "s" });
    const toJSON = vi.fn(() => "x");
    expect(actionLog((_a: unknown) => 7, { tracker })({ toJSON })).toBe(7);
    expect(target.rows).toEqual([]);
    expect(toJSON).not.toHaveBeenCalled();
  });

  it("still returns the result when the collector fails", () => {
    const target = recordingTarget();
    target.ingest = () => {
      throw new Error("disk full");
    };
    const tracker = createTracker({ collector: target, site: "s", onError: () => {} });
    expect(actionLog(() => 1, { tracker })()).toBe(1);
  });
});

describe("truncateUtf8", () => {
  it("keeps short text and cuts long text on a character boundary", () => {
    expect(truncateUtf8("abc", 3)).toBe("abc");
    const cut = truncateUtf8("€".repeat(100), 40);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(40);
    expect(cut.startsWith("€")).toBe(true);
    expect(cut).not.toContain("\uFFFD");
  });
});
