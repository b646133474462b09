import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  /** Path and query, e.g. `/mp/collect?measurement_id=…`. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** How the server answers one request; requests beyond the plan get `{ status: 200 }`. */
export interface PlannedResponse {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  /** Never answer (until the server closes), to test client timeouts. */
  hang?: boolean;
}

export interface RecordingServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  requests: RecordedRequest[];
  /** Appends answers for the next requests, in order. */
  plan(...responses: PlannedResponse[]): void;
  /** Resolves once at least `count` requests were received. */
  waitForRequests(count: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * A local HTTP endpoint for forwarder tests: records every request and answers as planned (errors, 429 with
 * Retry-After, hanging). Listens on 127.0.0.1 and refuses work past `maxRequests` (default 500).
 */
export async function startRecordingServer(maxRequests = 500): Promise<RecordingServer> {
  const requests: RecordedRequest[] = [];
  const planned: PlannedResponse[] = [];
  const hanging: ServerResponse[] = [];
  const watchers: Array<{ count: number; resolve: () => void }> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      if (requests.length >= maxRequests) {
        res.writeHead(503).end("request budget exhausted");
        return;
      }
      requests.push({
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      });
      for (const w of watchers.filter((w) => requests.length >= w.count)) {
        watchers.splice(watchers.indexOf(w), 1);
        w.resolve();
      }
      const answer = planned.shift() ?? {};
      if (answer.hang) {
        hanging.push(res);
        return;
      }
      res.writeHead(answer.status ?? 200, answer.headers).end(answer.body ?? "");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    plan: (...responses) => void planned.push(...responses),
    waitForRequests: (count) =>
      requests.length >= count
        ? Promise.resolve()
        : new Promise((resolve) => watchers.push({ count, resolve })),
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A URL on 127.0.0.1 where nothing listens (connection refused). */
export async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
