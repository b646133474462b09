/**
 * `page` encoded as UTF-8 with `snippet` (already UTF-8) inserted at UTF-16 index `at`, in one buffer of the exact
 * size: what `Buffer.from(page)` gives, with the snippet spliced in, without copying the page twice.
 *
 * A page of as many UTF-8 bytes as characters is all ASCII, and ASCII is the same bytes in Latin-1: it is then copied
 * character for character, several times faster than running the UTF-8 encoder over it (which is what express does
 * with a page it is given as a string).
 */
export function encodeWithSnippet(page: string, at: number, snippet: Uint8Array): Buffer {
  const length = Buffer.byteLength(page);
  const encoding = length === page.length ? "latin1" : "utf8";
  const out = Buffer.allocUnsafe(length + snippet.length);
  const headBytes = out.write(page.slice(0, at), 0, encoding);
  out.set(snippet, headBytes);
  out.write(page.slice(at), headBytes + snippet.length, encoding);
  return out;
}
