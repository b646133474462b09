import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import { clientIp, type TrustProxy } from "./client-ip.js";

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

/** An app answering with express's `req.ip` and `clientIp` under the app's compiled trust setting. */
async function both(
  trust: unknown,
  forwardedFor: string | undefined,
): Promise<{ express: string; ours: string }> {
  const app = express();
  app.set("trust proxy", trust);
  app.get("/", (req, res) => {
    res.json({ express: req.ip, ours: clientIp(req, app.get("trust proxy fn") as TrustProxy) });
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  servers.push(server);
  const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, {
    headers: forwardedFor === undefined ? {} : { "x-forwarded-for": forwardedFor },
  });
  return (await res.json()) as { express: string; ours: string };
}

describe("clientIp", () => {
  const cases: Array<[trust: unknown, header: string | undefined]> = [
    [false, "203.0.113.7"],
    [true, undefined],
    [true, "203.0.113.7"],
    [true, "198.51.100.1, 203.0.113.7"],
    [true, " 198.51.100.1 ,, 203.0.113.7 "],
    [1, "198.51.100.1, 203.0.113.7"],
    [2, "198.51.100.1, 203.0.113.7, 192.0.2.9"],
    ["loopback", "198.51.100.1, 203.0.113.7"],
    ["loopback, 203.0.113.0/24", "198.51.100.1, 203.0.113.7"],
    ["loopback, 198.51.100.0/24, 203.0.113.0/24", "198.51.100.1, 203.0.113.7"],
    ["10.0.0.0/8", "198.51.100.1"],
  ];
  it.each(cases)(
    "agrees with express's req.ip for trust proxy %j and X-Forwarded-For %j",
    async (trust, header) => {
      const { express: expected, ours } = await both(trust, header);
      expect(ours).toBe(expected);
    },
  );
});
