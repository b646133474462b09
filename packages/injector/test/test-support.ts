import http, { type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import type { Snippet, SnippetHtmlOptions } from "../src/types.js";

/** A hand-made snippet with an inline and an external script, like the real ones. */
export const testSnippet: Snippet = {
  tool: "tracklet",
  html(options: SnippetHtmlOptions = {}) {
    const nonce = options.nonce === undefined ? "" : ` nonce="${options.nonce}"`;
    const first =
      options.mode === "external"
        ? `<script data-tracklet-snippet src="${options.bootstrapPath ?? "/tracklet/bootstrap.js"}"${nonce}></script>`
        : `<script data-tracklet-snippet${nonce}>window.tk=1</script>`;
    return `${first}<script data-tracklet-snippet src="/tracklet/tracklet.js" defer${nonce}></script>`;
  },
  bootstrapJs: "window.tk=1;\n",
};

export const PAGE = "<!doctype html><html><head><title>caf\u00e9</title></head><body><p>hi</p></body></html>";

export function countSnippets(body: string): number {
  return body.split("<script data-tracklet-snippet").length - 1;
}

export interface TestServer {
  url: string;
  close(): Promise<void>;
}

export async function listen(handler: http.RequestListener): Promise<TestServer> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
  body: Buffer;
}

/** A plain request that does not decode anything, so tests see exactly what went on the wire. */
export function request(
  url: string,
  options: { method?: string; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: options.method ?? "GET", headers: options.headers ?? {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            rawHeaders: res.rawHeaders,
            body: Buffer.concat(chunks),
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end();
  });
}
