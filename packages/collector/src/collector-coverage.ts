import type { CollectorSettings } from "./config/collector-config.js";
import { createDocumentsHandler } from "./http/documents-handler.js";
import { DocumentCountsRecorder } from "./lifecycle/document-counts-recorder.js";
import { type ServedCount, validateDocumentCount } from "./pipeline/validate-documents.js";
import type { EventStore } from "./store/types.js";

/**
 * The collector's side of Coverage: the recorder of page counts, the `POST /documents` handler an injector in
 * another process posts to, and `recordDocuments` for one in the same process.
 */
export function collectorCoverage(
  store: EventStore,
  ready: Promise<void>,
  settings: CollectorSettings,
  onError: (message: string, err?: unknown) => void,
) {
  const recorder = new DocumentCountsRecorder({ store, ready, onError });
  const handler = createDocumentsHandler({
    token: settings.coverageToken,
    record: (counts) => recorder.served(counts),
    bodyTimeoutMs: settings.bodyTimeoutMs,
    onError,
  });
  const recordDocuments = (counts: ServedCount[]): void => {
    const valid: ServedCount[] = [];
    counts.forEach((count, i) => {
      try {
        valid.push(validateDocumentCount(count, `documents[${i}]`));
      } catch (error) {
        onError("a page count was left out", error);
      }
    });
    recorder.served(valid);
  };
  return { recorder, handler, recordDocuments };
}
