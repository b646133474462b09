import { SNIPPET_MARKER } from "../types.js";

/**
 * Where the snippet goes.
 * - `head-end` (default): before `</head>`; else after `<body…>`; else before the first token that can only live
 *   in `<body>` (implicit body start, like a browser parser); fragments without `<html>`/`<head>` get it at the
 *   document start (after a BOM and `<!DOCTYPE …>`).
 * - `head-start`: after `<head…>`; else the `head-end` rules.
 * - `body-end`: before `</body>`; else before `</html>`; else at the end of the document.
 */
export type InsertionPosition = "head-end" | "head-start" | "body-end";

export const INSERTION_POSITIONS: readonly InsertionPosition[] = ["head-end", "head-start", "body-end"];

/** What the scanner decided after a `feed`. */
export type ScanDecision =
  | { kind: "continue" }
  /** Insert at this absolute byte offset (≤ the offset of the next unread byte). */
  | { kind: "insert"; at: number }
  /** The marker was found before any insertion point: the page already carries the snippet. */
  | { kind: "already-present" };

/** What `finish` decided at the end of the document. */
export type FinishDecision = { kind: "insert"; at: number } | { kind: "none" } | { kind: "already-present" };

/** Fragments (no `<html>`/`<head>` yet) are held back at most this long before the snippet goes at their start. */
export const DEFAULT_PROLOGUE_WINDOW = 64 * 1024;

enum S {
  Data,
  TagOpen,
  TagName,
  EndTagOpen,
  EndTagName,
  InTag,
  InTagDoubleQuoted,
  InTagSingleQuoted,
  InTagUnquoted,
  MarkupDeclaration,
  Comment,
  Cdata,
  BogusComment,
  RawText,
}

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;
const EQUALS = 0x3d;
const DQUOTE = 0x22;
const SQUOTE = 0x27;
const DASH = 0x2d;
const RBRACKET = 0x5d;

/**
 * After an open tag (`<body…>`, `<head…>`) the snippet goes right behind the tag, so a page injected before has the
 * marker just after it: look this far ahead for it before committing, which keeps re-injection idempotent.
 */
export const MARKER_LOOKAHEAD = 256;

/** Longest tag name that can change a decision ("template", "noscript", "basefont"); longer names are body content. */
const MAX_NAME = 8;

/** Elements whose text is not markup: a `</head>` inside them is text. */
const RAW_TEXT = new Set([
  "script",
  "style",
  "textarea",
  "title",
  "xmp",
  "iframe",
  "noembed",
  "noframes",
  // Raw text when scripting is on, which is when the snippet matters (the Meta pixel puts `<noscript><img>` in head).
  "noscript",
]);

/** Start tags that may appear before `<body>` without implying it. */
const HEAD_CONTENT = new Set([
  "html",
  "head",
  "meta",
  "link",
  "title",
  "style",
  "script",
  "base",
  "noscript",
  "template",
  "basefont",
  "bgsound",
]);

const MARKER = Buffer.from(SNIPPET_MARKER.toLowerCase(), "latin1");
const MARKER_FAILURE = kmpFailure(MARKER);

function kmpFailure(pattern: Buffer): Int32Array {
  const failure = new Int32Array(pattern.length);
  let k = 0;
  for (let i = 1; i < pattern.length; i++) {
    while (k > 0 && pattern[i] !== pattern[k]) k = failure[k - 1] ?? 0;
    if (pattern[i] === pattern[k]) k++;
    failure[i] = k;
  }
  return failure;
}

function indexOfLt(chunk: Uint8Array, from: number, to: number): number {
  const at = chunk.indexOf(LT, from);
  return at < 0 ? to : at;
}

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0c || b === 0x0d;
}

function isAsciiLetter(b: number): boolean {
  return (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);
}

function lower(b: number): number {
  return b >= 0x41 && b <= 0x5a ? b + 0x20 : b;
}

/**
 * A byte-level HTML tokenizer that finds the snippet's insertion point across chunk boundaries.
 *
 * It understands just enough HTML to not be fooled: comments, CDATA, `<!DOCTYPE>`, `<?…>`, quoted and unquoted
 * attribute values, and raw-text elements (`<script>`, `<style>`, `<textarea>`, `<title>`, …) whose content is
 * never markup. It never decodes text, so a multi-byte UTF-8 character split across chunks is just bytes.
 *
 * `holdFrom` tells the caller which bytes it must not emit yet: the start of a tag that may turn out to be the
 * insertion point (`</head`, or a body-content start tag), or — for fragments — the whole prologue.
 */
export class InsertionScanner {
  private readonly position: InsertionPosition;
  private readonly prologueWindow: number;
  /** Absolute offset of the next byte to read. */
  private pos = 0;
  private state = S.Data;
  private tagStart = 0;
  private name = "";
  private nameTooLong = false;
  private isEndTag = false;
  /** In a tag: the last non-space byte was `=`, so a quote starts a value. */
  private afterEquals = false;
  private declaration = "";
  private dashes = 0;
  private rawEnd = "";
  private rawMatched = 0;
  private markerMatched = 0;
  /** Seen `<html` or `<head`: a structured document, so no document-start fallback. */
  private structured = false;
  /** Seen any tag or non-space text (comments and the doctype don't count). */
  private significant = false;
  /** Where a fragment's snippet goes: after a BOM and a leading doctype. */
  private documentStart = 0;
  private doctypeAllowed = true;
  private tagHeld = false;
  /** Inside `<template>` nothing is rendered, so nothing there starts the body. */
  private templateDepth = 0;
  /** Offset right after an open tag where the snippet goes unless the marker follows within the lookahead. */
  private pendingInsert = -1;

  constructor(position: InsertionPosition = "head-end", prologueWindow = DEFAULT_PROLOGUE_WINDOW) {
    this.position = position;
    this.prologueWindow = prologueWindow;
  }

  /** Absolute offset before which bytes may be emitted, or -1 when nothing needs holding back. */
  get holdFrom(): number {
    if (this.pendingInsert >= 0) return this.pendingInsert;
    if (this.holdingPrologue) return 0;
    return this.tagHeld ? this.tagStart : -1;
  }

  private get holdingPrologue(): boolean {
    return this.position !== "body-end" && !this.structured;
  }

  /** Bytes read so far. */
  get offset(): number {
    return this.pos;
  }

  /**
   * Reads `chunk[from…]` until a decision or the end of the chunk. After an `insert` or `already-present`
   * decision the scanner is done and must not be fed again.
   */
  feed(chunk: Uint8Array, from = 0): ScanDecision {
    const n = chunk.length;
    let i = from;
    while (i < n) {
      // Fast paths: runs of text and raw text up to the next `<` need no byte-by-byte state machine.
      if (this.pendingInsert < 0 && this.pos >= 3) {
        if (this.state === S.Data) {
          const stop = indexOfLt(chunk, i, n);
          if (stop > i) {
            const decision = this.textRun(chunk, i, stop);
            if (decision !== undefined) return decision;
            i = stop;
            continue;
          }
        } else if (this.state === S.RawText && this.rawMatched === 0) {
          const stop = indexOfLt(chunk, i, n);
          this.pos += stop - i;
          i = stop;
          if (i === n) break;
        }
      }
      const decision = this.step(chunk[i] as number);
      this.pos++;
      i++;
      if (decision !== undefined) return decision;
    }
    return { kind: "continue" };
  }

  /** Text `chunk[from, to)` (no `<` in it) in the Data state. */
  private textRun(chunk: Uint8Array, from: number, to: number): ScanDecision | undefined {
    const needed = this.position !== "body-end" || !this.significant;
    if (needed) {
      for (let j = from; j < to; j++) {
        if (!isSpace(chunk[j] as number)) {
          const decision = this.bodyContent(this.pos + (j - from));
          if (decision !== undefined) {
            this.pos += j - from + 1;
            return decision;
          }
          break;
        }
      }
    }
    this.pos += to - from;
    if (this.holdingPrologue && this.pos >= this.prologueWindow) return this.insert(this.documentStart);
    return undefined;
  }

  /** Decides at the end of the document. */
  finish(): FinishDecision {
    if (this.pendingInsert >= 0) return { kind: "insert", at: this.pendingInsert };
    if (this.position === "body-end")
      return this.significant ? { kind: "insert", at: this.pos } : { kind: "none" };
    if (!this.significant) return { kind: "none" };
    return { kind: "insert", at: this.structured ? this.pos : this.documentStart };
  }

  private insert(at: number): ScanDecision {
    return { kind: "insert", at };
  }

  /** One byte; returns a decision or undefined to go on. `this.pos` is this byte's offset. */
  private step(b: number): ScanDecision | undefined {
    if (this.pendingInsert >= 0) {
      if (this.matchMarker(b)) return { kind: "already-present" };
      return this.pos - this.pendingInsert >= MARKER_LOOKAHEAD ? this.insert(this.pendingInsert) : undefined;
    }
    // The marker is an attribute: only tags count (a commented-out snippet is not a snippet).
    if (this.state >= S.TagOpen && this.state <= S.InTagUnquoted) {
      if (this.matchMarker(b)) return { kind: "already-present" };
    } else {
      this.markerMatched = 0;
    }
    if (this.pos < 3) this.trackBom(b);

    switch (this.state) {
      case S.Data:
        if (b === LT) {
          this.state = S.TagOpen;
          this.tagStart = this.pos;
          this.tagHeld = true;
        } else if (!isSpace(b) && !(this.pos < 3 && this.bomSoFar > this.pos)) {
          const decision = this.bodyContent(this.pos);
          if (decision) return decision;
        }
        break;
      case S.TagOpen:
        return this.tagOpen(b);
      case S.EndTagOpen:
        this.endTagOpen(b);
        break;
      case S.TagName:
      case S.EndTagName:
        return this.tagName(b);
      case S.InTag:
        return this.inTag(b);
      case S.InTagDoubleQuoted:
        if (b === DQUOTE) this.leaveValue();
        break;
      case S.InTagSingleQuoted:
        if (b === SQUOTE) this.leaveValue();
        break;
      case S.InTagUnquoted:
        if (b === GT) {
          this.state = S.Data;
          return this.tagClosed();
        }
        if (isSpace(b)) this.leaveValue();
        break;
      case S.MarkupDeclaration:
        return this.markupDeclaration(b);
      case S.Comment:
        if (b === DASH) this.dashes++;
        else if (b === GT && this.dashes >= 2) this.state = S.Data;
        else this.dashes = 0;
        break;
      case S.Cdata:
        if (b === RBRACKET) this.dashes++;
        else if (b === GT && this.dashes >= 2) this.state = S.Data;
        else this.dashes = 0;
        break;
      case S.BogusComment:
        if (b === GT) this.endBogus();
        break;
      case S.RawText:
        this.rawText(b);
        break;
    }
    return this.prologueFull();
  }

  private tagOpen(b: number): ScanDecision | undefined {
    if (b === BANG) {
      this.state = S.MarkupDeclaration;
      this.declaration = "";
      this.tagHeld = false;
    } else if (b === SLASH) {
      this.state = S.EndTagOpen;
    } else if (isAsciiLetter(b)) {
      this.state = S.TagName;
      this.isEndTag = false;
      this.name = String.fromCharCode(lower(b));
      this.nameTooLong = false;
    } else if (b === QUESTION) {
      this.state = S.BogusComment;
      this.tagHeld = false;
    } else {
      // A lone `<` is text.
      this.state = S.Data;
      this.tagHeld = false;
      const decision = this.bodyContent(this.tagStart);
      if (decision) return decision;
      if (b === LT) {
        this.state = S.TagOpen;
        this.tagStart = this.pos;
        this.tagHeld = true;
      }
    }
    return this.prologueFull();
  }

  private endTagOpen(b: number): void {
    if (isAsciiLetter(b)) {
      this.state = S.EndTagName;
      this.isEndTag = true;
      this.name = String.fromCharCode(lower(b));
      this.nameTooLong = false;
    } else {
      // `</>` is dropped by parsers; `</3…>` is a bogus comment.
      this.state = b === GT ? S.Data : S.BogusComment;
      this.tagHeld = false;
    }
  }

  private tagName(b: number): ScanDecision | undefined {
    if (isSpace(b) || b === SLASH || b === GT) {
      if (!this.nameTooLong) {
        const decision = this.tagNameDone();
        if (decision) return decision;
      }
      this.afterEquals = false;
      if (b === GT) {
        this.state = S.Data;
        return this.tagClosed();
      }
      this.state = S.InTag;
    } else if (!this.nameTooLong) {
      if (this.name.length >= MAX_NAME) {
        // Too long to be any tag we care about.
        this.nameTooLong = true;
        this.name = "";
        const decision = this.tagNameDone();
        if (decision) return decision;
      } else {
        this.name += String.fromCharCode(lower(b));
      }
    }
    return this.prologueFull();
  }

  private inTag(b: number): ScanDecision | undefined {
    if (b === GT) {
      this.state = S.Data;
      return this.tagClosed();
    }
    if (b === EQUALS) {
      this.afterEquals = true;
    } else if (this.afterEquals && b === DQUOTE) {
      this.state = S.InTagDoubleQuoted;
    } else if (this.afterEquals && b === SQUOTE) {
      this.state = S.InTagSingleQuoted;
    } else if (this.afterEquals && !isSpace(b)) {
      this.state = S.InTagUnquoted;
    } else if (!isSpace(b)) {
      this.afterEquals = false;
    }
    return this.prologueFull();
  }

  /** Memory stays bounded: a fragment's prologue is never held past the window. */
  private prologueFull(): ScanDecision | undefined {
    if (this.holdingPrologue && this.pos + 1 >= this.prologueWindow) return this.insert(this.documentStart);
    return undefined;
  }

  private bomSoFar = 0;

  private trackBom(b: number): void {
    const expected = [0xef, 0xbb, 0xbf][this.pos];
    if (this.bomSoFar === this.pos && b === expected) {
      this.bomSoFar++;
      if (this.bomSoFar === 3 && this.documentStart === 0) this.documentStart = 3;
    }
  }

  private leaveValue(): void {
    this.state = S.InTag;
    this.afterEquals = false;
  }

  private endBogus(): void {
    this.state = S.Data;
    if (this.pendingDoctype) this.doctypeDone();
  }

  private matchMarker(b: number): boolean {
    const c = lower(b);
    let k = this.markerMatched;
    while (k > 0 && MARKER[k] !== c) k = MARKER_FAILURE[k - 1] ?? 0;
    if (MARKER[k] === c) k++;
    if (k === MARKER.length) return true;
    this.markerMatched = k;
    return false;
  }

  /** Non-space text or a body-only start tag at `at`: the body has started. */
  private bodyContent(at: number): ScanDecision | undefined {
    this.significant = true;
    this.doctypeAllowed = false;
    if (this.position === "body-end" || this.templateDepth > 0) return undefined;
    return this.insert(this.structured ? at : this.documentStart);
  }

  /** The tag name is complete (or known to be too long); decide what it means. */
  private tagNameDone(): ScanDecision | undefined {
    const name = this.name;
    if (this.isEndTag) {
      if (name === "template" && this.templateDepth > 0) this.templateDepth--;
      this.significant = true;
      this.doctypeAllowed = false;
      const before =
        this.position === "body-end"
          ? name === "body" || name === "html"
          : name === "head" || name === "body" || name === "html";
      this.tagHeld = false;
      if (before) return this.insert(this.tagStart);
      return undefined;
    }
    this.tagHeld = false;
    this.significant = true;
    this.doctypeAllowed = false;
    if (this.position === "body-end") return undefined;
    if (name === "template") this.templateDepth++;
    if (name === "html" || name === "head") {
      this.structured = true;
      return undefined;
    }
    if (!this.nameTooLong && (HEAD_CONTENT.has(name) || name === "body")) {
      // Head content implies `<html><head>` as a browser parses it: a page opening with `<meta charset>` keeps it
      // first, and the snippet goes where its body starts.
      if (name !== "body") this.structured = true;
      return undefined;
    }
    return this.bodyContent(this.tagStart);
  }

  /** `>` of a tag (this byte). */
  private tagClosed(): ScanDecision | undefined {
    if (this.isEndTag || this.nameTooLong) return undefined;
    const name = this.name;
    if (this.position !== "body-end") {
      if (name === "body" || (name === "head" && this.position === "head-start")) {
        this.pendingInsert = this.pos + 1;
        return undefined;
      }
    }
    if (RAW_TEXT.has(name)) {
      this.state = S.RawText;
      this.rawEnd = name;
      this.rawMatched = 0;
    }
    return undefined;
  }

  private markupDeclaration(b: number): ScanDecision | undefined {
    if (b === GT && this.declaration !== "[cdata[") {
      // `<!>`, `<!->` and friends end here.
      this.state = S.Data;
      return undefined;
    }
    this.declaration += String.fromCharCode(lower(b));
    const d = this.declaration;
    if (d === "--") {
      this.state = S.Comment;
      this.dashes = 0;
    } else if (d === "[cdata[") {
      this.state = S.Cdata;
      this.dashes = 0;
    } else if (d === "doctype") {
      this.state = S.BogusComment;
      if (this.doctypeAllowed) this.pendingDoctype = true;
    } else if (!"--".startsWith(d) && !"[cdata[".startsWith(d) && !"doctype".startsWith(d)) {
      this.state = S.BogusComment;
    }
    return undefined;
  }

  private pendingDoctype = false;

  private rawText(b: number): void {
    const m = this.rawMatched;
    if (m === 0) {
      if (b === LT) this.rawMatched = 1;
      return;
    }
    if (m === 1) {
      this.rawMatched = b === SLASH ? 2 : b === LT ? 1 : 0;
      return;
    }
    const nameIndex = m - 2;
    if (nameIndex < this.rawEnd.length) {
      this.rawMatched = lower(b) === this.rawEnd.charCodeAt(nameIndex) ? m + 1 : b === LT ? 1 : 0;
      return;
    }
    if (isSpace(b) || b === SLASH || b === GT) {
      this.isEndTag = true;
      this.name = this.rawEnd;
      this.nameTooLong = false;
      this.state = b === GT ? S.Data : S.InTag;
      this.afterEquals = false;
      return;
    }
    this.rawMatched = b === LT ? 1 : 0;
  }

  private doctypeDone(): void {
    this.pendingDoctype = false;
    this.documentStart = this.pos + 1;
  }
}
