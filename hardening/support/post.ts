import { type Agent, request } from "node:http";

/** A desktop Firefox: not a bot, so events are stored rather than only counted. */
export const BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0";

export interface PostResult {
  /** HTTP status, or 0 when the connection failed or was cut before an answer. */
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
  error?: string;
}

export interface PostOptions {
  headers?: Record<string, string>;
  agent?: Agent | false;
  /** Bind the client side to this loopback address (127.0.0.2, …) to look like another client. */
  localAddress?: string;
  timeoutMs?: number;
}

/** POSTs a body over real HTTP and never rejects: failures come back as status 0 with the error. */
export function post(url: string, body: string | Buffer, options: PostOptions = {}): Promise<PostResult> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (result: PostResult) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    // A server refusing a large body early may answer and close while the body is still being written: the
    // answer counts even when the write then fails.
    let answered = 0;
    const req = request(
      url,
      {
        method: "POST",
        agent: options.agent ?? false,
        ...(options.localAddress ? { localAddress: options.localAddress } : {}),
        headers: {
          "content-type": "text/plain",
          "user-agent": BROWSER_UA,
          "content-length": String(Buffer.byteLength(body)),
          ...options.headers,
        },
      },
      (res) => {
        answered = res.statusCode ?? 0;
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          done({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), headers: res.headers }),
        );
        res.on("error", (e) => done({ status: answered, body: "", headers: res.headers, error: e.message }));
      },
    );
    req.setTimeout(options.timeoutMs ?? 15_000, () => req.destroy(new Error("timed out")));
    req.on("error", (e) => done({ status: answered, body: "", headers: {}, error: e.message }));
    req.end(body);
  });
}

/** One pageview on `site`, tagged with `seq` so the store can be checked event by event. */
export function pageview(site: string, seq: number): Record<string, unknown> {
  return { type: "pageview", site, url: `https://${site}/p/${seq % 50}`, props: { seq: String(seq) } };
}

export function batchBody(events: Array<Record<string, unknown>>): string {
  return JSON.stringify({ batch: events });
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
