import type { RequestListener } from "node:http";
import type { Application } from "express";
import { clientIp, type TrustProxy } from "./client-ip.js";
import type { CollectHandler } from "./collect-handler.js";

const noProxy: TrustProxy = () => false;

/**
 * Serves `POST` and `OPTIONS` on `collectPath` in plain Node calls, without the framework's routing, and hands
 * every other request to `next` (usually the Express app that mounts the router). The client IP follows `next`'s
 * `trust proxy` setting when `next` is an Express app. With `passEverything` (the app's `getUser` needs its
 * middleware) every request goes to `next`.
 */
export function createRequestListener(
  collectPath: string,
  handler: CollectHandler,
  next: RequestListener,
  passEverything: boolean,
): RequestListener {
  const app = next as Partial<Pick<Application, "get">>;
  return (req, res) => {
    const url = req.url ?? "";
    const q = url.indexOf("?");
    const path = q === -1 ? url : url.slice(0, q);
    if (path !== collectPath || passEverything) return next(req, res);
    if (req.method === "POST") {
      const trust = typeof app.get === "function" ? (app.get("trust proxy fn") as TrustProxy) : noProxy;
      void handler.collect(req, res, clientIp(req, trust ?? noProxy), null);
    } else if (req.method === "OPTIONS") {
      handler.preflight(req, res);
    } else {
      next(req, res);
    }
  };
}
