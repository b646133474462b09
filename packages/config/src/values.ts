const TRUE_WORDS = new Set(["true", "yes", "on", "1", "t"]);
const FALSE_WORDS = new Set(["false", "no", "off", "0", "f"]);

/** The boolean spellings `True/False/yes/no/on/off/1/0/t/f` (any case), or `undefined` for anything else. */
export function parseBoolean(text: string): boolean | undefined {
  const word = text.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  return undefined;
}

/** `None` (Python's null, as Airflow docs write it) or an empty value means "not set". */
export function isUnsetWord(text: string): boolean {
  return text === "" || text === "None";
}

/** A positive integer written in digits only, at most `max` (default: the largest safe integer). */
export function parsePositiveInteger(text: string, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (!/^\d+$/.test(text)) return undefined;
  const value = Number(text);
  return value >= 1 && value <= max ? value : undefined;
}

/** A comma- or newline-separated list; items are trimmed and empty items dropped. */
export function parseList(text: string): string[] {
  return text
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter(Boolean);
}

/** Absolute `http:`/`https:` URL with a host; returns the URL object or a reason it is not one. */
export function parseHttpUrl(text: string): { url: URL } | { reason: string } {
  if (hasSpaceOrControl(text)) return { reason: "it contains whitespace or control characters" };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    if (/^https?:\/\/[^/]*:[^0-9/]/.test(text)) return { reason: "the port must be a number" };
    return { reason: "it is not an absolute URL" };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    return { reason: `the scheme is "${url.protocol}"` };
  if (!url.hostname) return { reason: "it has no host" };
  return { url };
}

/** A root-relative path (`/tracklet/collect`), not a protocol-relative `//host` reference. */
export function isRootRelativePath(text: string): boolean {
  return /^\/(?!\/)[^\s\\]*$/.test(text) && !hasSpaceOrControl(text);
}

/** Whitespace, C0 controls or DEL, none of which belong in a URL. */
export function hasSpaceOrControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code <= 0x20 || code === 0x7f) return true;
  }
  return /\s/.test(text);
}
