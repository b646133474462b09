/**
 * The preferred language of an `Accept-Language` header (`en-US,en;q=0.9` → `en-US`), or null when there is
 * none. The header's first entry is the browser's first choice.
 */
export function primaryLocale(header: string | undefined): string | null {
  if (!header) return null;
  const end = header.search(/[,;]/);
  const tag = (end === -1 ? header : header.slice(0, end)).trim();
  return /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(tag) ? tag : null;
}
