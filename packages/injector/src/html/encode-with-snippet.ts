const encoder = new TextEncoder();

/**
 * `page` encoded as UTF-8 with `snippet` (already UTF-8) inserted at UTF-16 index `at`, in one buffer of the exact
 * size: what `Buffer.from(page)` gives, with the snippet spliced in.
 *
 * `Buffer.from` measures the UTF-8 length before it encodes: two passes over the page, and V8 makes the first one
 * character by character for a string built by concatenation (what template engines return). Here the page is
 * encoded straight into a buffer sized for one byte per character, exact for an ASCII page, the common case. A page
 * with other characters overflows it near its end: only the characters that did not fit are measured, and what was
 * encoded is copied once into a buffer of the exact size.
 */
export function encodeWithSnippet(page: string, at: number, snippet: Uint8Array): Buffer {
  return encodeParts([page.slice(0, at), snippet, page.slice(at)], page.length + snippet.length);
}

type Part = string | Uint8Array;

function byteLengthOf(parts: readonly Part[], from: number): number {
  let length = 0;
  for (let i = from; i < parts.length; i++) {
    const part = parts[i] as Part;
    length += typeof part === "string" ? Buffer.byteLength(part) : part.length;
  }
  return length;
}

/** A buffer of `filled + more` bytes starting with the `filled` bytes of `out`. */
function grown(out: Buffer, filled: number, more: number): Buffer {
  const bigger = Buffer.allocUnsafe(filled + more);
  out.copy(bigger, 0, 0, filled);
  return bigger;
}

/** `parts` one after the other, strings as UTF-8, in a buffer of `guess` bytes or, when they do not fit, of their size. */
function encodeParts(parts: readonly Part[], guess: number): Buffer {
  let out: Buffer = Buffer.allocUnsafe(guess);
  let filled = 0;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as Part;
    if (typeof part !== "string") {
      if (filled + part.length > out.length) out = grown(out, filled, byteLengthOf(parts, i));
      out.set(part, filled);
      filled += part.length;
      continue;
    }
    // `encodeInto` writes whole characters only, and says how many it read.
    const { read, written } = encoder.encodeInto(part, filled === 0 ? out : out.subarray(filled));
    filled += written;
    if (read < part.length) {
      const rest = part.slice(read);
      out = grown(out, filled, Buffer.byteLength(rest) + byteLengthOf(parts, i + 1));
      filled += out.write(rest, filled, "utf8");
    }
  }
  // UTF-8 has at least one byte per UTF-16 unit: parts that fit the guess fill it exactly.
  return out;
}
