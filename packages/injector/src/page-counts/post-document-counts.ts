import type { DocumentCount, DocumentSink } from "./document-counter.js";

const TIMEOUT_MS = 10_000;

/**
 * A sink that posts the counts to a collector in another process (`analytics_coverage_url`), with the shared
 * token as a bearer token. Throws on a network error or an answer other than 2xx, so the counts are kept.
 */
export function postDocumentCounts(url: string, token: string): DocumentSink {
  return async (counts: DocumentCount[]) => {
    const response = await fetch(url, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ documents: counts }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    await response.body?.cancel();
    if (!response.ok)
      throw new Error(`the collector answered ${response.status} to the document counts (${url})`);
  };
}
