/**
 * Mask a secret for display: the first 2 characters (only when the secret is long enough that this gives
 * little away) and its length, e.g. `ab…(32 chars)`.
 */
export function maskSecret(value: string): string {
  const length = [...value].length;
  const head = length >= 12 ? [...value].slice(0, 2).join("") : "";
  return `${head}…(${length} chars)`;
}

/** Replace the password (and user) of a URL with `***`, leaving other strings unchanged. */
export function maskUrlCredentials(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i, "$1***@");
}
