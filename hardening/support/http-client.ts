import { type Agent, type IncomingHttpHeaders, request } from "node:http";
import { brotliDecompressSync, gunzipSync, inflateSync } from "node:zlib";

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** Bytes as they came off the wire (before any Content-Encoding is undone). */
  wire: Buffer;
  /** The body with its Content-Encoding undone. */
  body: Buffer;
}

function decode(wire: Buffer, encoding: string | undefined): Buffer {
  switch ((encoding ?? "identity").trim().toLowerCase()) {
    case "identity":
      return wire;
    case "gzip":
      return gunzipSync(wire);
    case "deflate":
      return inflateSync(wire);
    case "br":
      return brotliDecompressSync(wire);
    default:
      throw new Error(`unexpected Content-Encoding ${encoding}`);
  }
}

/** A GET (or other bodiless request) over real HTTP; rejects when the response is cut short. */
export function fetchRaw(
  url: string,
  options: { method?: string; headers?: Record<string, string>; agent?: Agent; timeoutMs?: number } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: options.method ?? "GET", headers: options.headers ?? {}, agent: options.agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("aborted", () => reject(new Error(`response from ${url} aborted`)));
        res.on("end", () => {
          if (!res.complete) {
            reject(new Error(`response from ${url} ended before it was complete`));
            return;
          }
          const wire = Buffer.concat(chunks);
          try {
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              wire,
              body: decode(wire, res.headers["content-encoding"]),
            });
          } catch (error) {
            reject(error);
          }
        });
      },
    );
    req.setTimeout(options.timeoutMs ?? 10_000, () => req.destroy(new Error(`request to ${url} timed out`)));
    req.on("error", reject);
    req.end();
  });
}
