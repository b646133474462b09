import type { Request, Response } from "express";
import type { ServedCount } from "../pipeline/validate-documents.js";
import { validateDocumentCounts } from "../pipeline/validate-documents.js";
import { authChallenge, checkAccess } from "./auth.js";
import { readBodyText } from "./body.js";
import { HttpError, sendError } from "./errors.js";

/** A request of 1,000 counts with long paths stays well under this. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

export interface DocumentsHandlerOptions {
  /** `coverage_token`: the bearer token the injector sends; unset refuses every request. */
  token: string | undefined;
  record(counts: ServedCount[]): void;
  bodyTimeoutMs: number;
  onError: (message: string, err?: unknown) => void;
}

/**
 * `POST /documents`: an injector in another process hands over the pages it served with the snippet,
 * `{ "documents": [{ site, path, hour, count }] }` with `Authorization: Bearer <coverage_token>`. 204 when taken;
 * 401 without the token, 400 naming the first bad field (nothing of that request is taken).
 */
export function createDocumentsHandler(options: DocumentsHandlerOptions) {
  const rule = options.token ? { token: options.token } : undefined;
  return async (req: Request, res: Response): Promise<void> => {
    try {
      if (!(await checkAccess(rule, req))) {
        const message = rule
          ? "Page counts need the collector's coverage_token as a bearer token."
          : "This collector takes no page counts: set [collector] coverage_token.";
        sendError(res, new HttpError(401, "unauthorized", message), {
          "WWW-Authenticate": authChallenge(rule),
        });
        req.resume();
        return;
      }
      const text = await readBodyText(req, MAX_BODY_BYTES, options.bodyTimeoutMs);
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new HttpError(400, "invalid_json", "The body is not valid JSON.");
      }
      if (typeof body !== "object" || body === null || Array.isArray(body))
        throw new HttpError(400, "invalid_body", 'The body must be a JSON object: { "documents": [...] }.');
      options.record(validateDocumentCounts((body as { documents?: unknown }).documents));
      res.status(204).end();
    } catch (err) {
      if (err instanceof HttpError) return sendError(res, err);
      options.onError("unexpected error while taking page counts", err);
      sendError(res, new HttpError(500, "internal", "The collector failed to take the page counts."));
    }
  };
}
