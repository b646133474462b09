import { DEFAULT_PROLOGUE_WINDOW, type InsertionPosition, InsertionScanner } from "./insertion-scanner.js";

/** What happened to a document. `pending` until the insertion point is found or the document ends. */
export type InjectionOutcome = "pending" | "injected" | "already-present" | "no-insertion-point";

export interface HtmlInjectorOptions {
  /** Where the snippet goes (default `head-end`); see {@link InsertionPosition}. */
  position?: InsertionPosition;
  /**
   * How long a fragment (no `<html>`/`<head>` seen yet) may be held back while waiting for `<body>` before the
   * snippet goes at its start. Default 64 KiB. Structured documents are never held longer than one partial tag.
   */
  prologueWindow?: number;
}

/** A streaming injector: feed the body's bytes in order, write out what it returns. */
export interface HtmlInjector {
  /** Bytes ready to send. Holds back at most a partial tag (or a fragment's prologue, see `prologueWindow`). */
  push(chunk: Uint8Array): Buffer[];
  /** The rest of the document, with the snippet if it goes at the end or the document start. */
  end(): Buffer[];
  /** The original bytes still held back, for sending the page unmodified after a failure. Ends the injector. */
  abort(): Buffer[];
  readonly outcome: InjectionOutcome;
}

function toBuffer(chunk: Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/**
 * Creates a streaming injector that puts `snippetHtml` at the insertion point of an HTML document exactly once.
 * Works on bytes: chunks may split tags, comments or multi-byte UTF-8 characters anywhere.
 * Once the snippet is in (or the page already carries it), every chunk passes straight through, uncopied.
 */
export function createHtmlInjector(
  snippetHtml: string | Uint8Array,
  options: HtmlInjectorOptions = {},
): HtmlInjector {
  const snippet = typeof snippetHtml === "string" ? Buffer.from(snippetHtml, "utf8") : toBuffer(snippetHtml);
  const scanner = new InsertionScanner(
    options.position ?? "head-end",
    options.prologueWindow ?? DEFAULT_PROLOGUE_WINDOW,
  );
  let outcome: InjectionOutcome = "pending";
  // Held-back bytes, starting at absolute offset `heldStart`.
  let held: Buffer[] = [];
  let heldStart = 0;

  /** Splits held + chunk at absolute offset `at`. */
  function splitAt(all: Buffer[], start: number, at: number): [Buffer[], Buffer[]] {
    const before: Buffer[] = [];
    const after: Buffer[] = [];
    let offset = start;
    for (const buf of all) {
      const end = offset + buf.length;
      if (end <= at) before.push(buf);
      else if (offset >= at) after.push(buf);
      else {
        before.push(buf.subarray(0, at - offset));
        after.push(buf.subarray(at - offset));
      }
      offset = end;
    }
    return [before, after];
  }

  function nonEmpty(bufs: Buffer[]): Buffer[] {
    return bufs.filter((b) => b.length > 0);
  }

  function injectAt(all: Buffer[], at: number): Buffer[] {
    const [before, after] = splitAt(all, heldStart, at);
    held = [];
    outcome = "injected";
    return nonEmpty([...before, snippet, ...after]);
  }

  function release(all: Buffer[]): Buffer[] {
    held = [];
    return nonEmpty(all);
  }

  return {
    get outcome() {
      return outcome;
    },
    push(input) {
      const chunk = toBuffer(input);
      if (outcome !== "pending") return chunk.length > 0 ? [chunk] : [];
      // The scanner runs before any bookkeeping changes, so a throw leaves `held` intact for `abort`.
      const decision = scanner.feed(chunk);
      const all = held.length > 0 ? [...held, chunk] : [chunk];
      if (decision.kind === "insert") return injectAt(all, decision.at);
      if (decision.kind === "already-present") {
        outcome = "already-present";
        return release(all);
      }
      const holdFrom = scanner.holdFrom;
      if (holdFrom < 0) {
        heldStart = scanner.offset;
        return release(all);
      }
      const [out, keep] = splitAt(all, heldStart, holdFrom);
      held = nonEmpty(keep);
      heldStart = holdFrom;
      return nonEmpty(out);
    },
    end() {
      if (outcome !== "pending") return [];
      const decision = scanner.finish();
      if (decision.kind === "insert") return injectAt(held, decision.at);
      outcome = decision.kind === "already-present" ? "already-present" : "no-insertion-point";
      return release(held);
    },
    abort() {
      if (outcome === "pending") outcome = "no-insertion-point";
      return release(held);
    },
  };
}
