/** Cuts `text` to at most `maxBytes` UTF-8 bytes, ending with a marker that says how long it was. */
export function truncateUtf8(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, "utf8");
  if (bytes.length <= maxBytes) return text;
  const marker = `…[truncated, ${bytes.length} bytes]`;
  const room = Math.max(0, maxBytes - Buffer.byteLength(marker, "utf8"));
  let end = room;
  // Step back over UTF-8 continuation bytes so no character is split.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end -= 1;
  return bytes.subarray(0, end).toString("utf8") + marker;
}
