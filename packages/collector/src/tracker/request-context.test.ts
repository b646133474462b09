import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import { recordingTracker } from "../../test/recording-target.js";
import { requestContext } from "./request-context.js";
import { createTracker } from "./tracker.js";

const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

async function listen(app: express.Express): Promise<string> {
  const server = app.listen(0, "127.0.0.1");
  servers.push(server);
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Resolves once `count` callers are waiting, so concurrent requests are guaranteed to overlap. */
function barrier(count: number): () => Promise<void> {
  let waiting = 0;
  let release!: () => void;
  const all = new Promise<void>((resolve) => {
    release = resolve;
  });
  return () => {
    waiting += 1;
    if (waiting === count) release();
    return all;
  };
}

describe("requestContext middleware", () => {
  it("gives each of several interleaved requests its own context, across awaits", async () => {
    const { events, options } = recordingTracker();
    const tracker = createTracker(options);
    const app = express();
    const N = 6;
    const allStarted = barrier(N);
    app.use(
      requestContext(tracker, {
        getUser: (req) => req.get("x-user") ?? null,
        getSession: async (req) => `sess-${req.get("x-user")}`,
      }),
    );
    app.get("/work/:id", async (req, res) => {
      tracker.emit("work.start", { id: req.params.id });
      await allStarted();
      // Resume in reverse order of arrival to interleave further.
      await new Promise((resolve) => setTimeout(resolve, (N - Number(req.params.id)) * 2));
      tracker.enterContext("handler", { step: `step-${req.params.id}` });
      tracker.emit("work.end", { id: req.params.id });
      res.json(tracker.getContext());
    });
    const base = await listen(app);
    const responses = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        fetch(`${base}/work/${i}?secret=1`, { headers: { "x-user": `u${i}`, "x-request-id": `req-${i}` } }),
      ),
    );
    const bodies = (await Promise.all(responses.map((r) => r.json()))) as Array<Record<string, unknown>>;
    expect(events).toHaveLength(2 * N);
    for (const event of events) {
      const id = event.data.id as string;
      expect(event.context).toMatchObject({
        path: `/work/${id}`,
        method: "GET",
        user: `u${id}`,
        session: `sess-u${id}`,
        request_id: `req-${id}`,
      });
      expect(event.context.step).toBe(event.name === "work.end" ? `step-${id}` : undefined);
    }
    bodies.forEach((body, i) => {
      expect(body.request_id).toBe(`req-${i}`);
      expect(responses[i]?.headers.get("x-request-id")).toBe(`req-${i}`);
    });
    // Nothing leaked into the process-wide scope.
    expect(tracker.getContext()).toEqual({});
  });

  it("replaces a missing or invalid X-Request-Id with a random UUID", async () => {
    const { events, options } = recordingTracker();
    const tracker = createTracker(options);
    const app = express();
    app.use(requestContext(tracker));
    app.get("/", (_req, res) => {
      tracker.emit("hit");
      res.end();
    });
    const base = await listen(app);
    await fetch(`${base}/`, { headers: { "x-request-id": "has spaces\tand\ttabs" } });
    await fetch(`${base}/`, { headers: { "x-request-id": "x".repeat(200) } });
    await fetch(`${base}/`);
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    expect(events).toHaveLength(3);
    for (const e of events) {
      expect(e.context.request_id).toMatch(uuid);
      expect(e.context.user).toBeNull();
    }
    expect(new Set(events.map((e) => e.context.request_id)).size).toBe(3);
  });

  it("passes a throwing getUser to Express's error handling instead of crashing", async () => {
    const tracker = createTracker(recordingTracker().options);
    const app = express();
    app.use(
      requestContext(tracker, {
        getUser: () => {
          throw new Error("auth backend down");
        },
      }),
    );
    app.get("/", (_req, res) => void res.send("ok"));
    app.use((err: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(503).send(err.message);
    });
    const base = await listen(app);
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(503);
    expect(await res.text()).toBe("auth backend down");
  });
});
