import type { IncomingMessage } from "node:http";

/** Whether the hop at `index` (0 = the socket's peer) is a trusted proxy: express's compiled `trust proxy`. */
export type TrustProxy = (address: string, index: number) => boolean;

/**
 * The client address as express's `req.ip` computes it (proxy-addr): the socket's peer, then the
 * `X-Forwarded-For` entries from right to left; the first address that is not a trusted proxy is the client,
 * or the leftmost entry when every hop is trusted. Empty entries are skipped.
 */
export function clientIp(req: IncomingMessage, trust: TrustProxy): string {
  const peer = req.socket.remoteAddress ?? "";
  const header = req.headers["x-forwarded-for"];
  if (!header || !trust(peer, 0)) return peer;
  // Node joins repeated X-Forwarded-For headers with ", "; an array only comes from a hand-made request.
  const list = typeof header === "string" ? header : header.join(",");
  // One hop (a single proxy in front) is the common case: no split.
  const hops = list.includes(",") ? list.split(",") : [list];
  let client = peer;
  let index = 0;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = (hops[i] as string).trim();
    if (hop === "") continue;
    client = hop;
    index++;
    if (!trust(hop, index)) return hop;
  }
  return client;
}
