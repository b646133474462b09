/**
 * Context-aware escapers for the snippet templates. Every one returns ASCII only, so no value can smuggle in
 * a character the HTML or JavaScript parser treats specially.
 */

function hex4(code: number): string {
  return `\\u${code.toString(16).padStart(4, "0")}`;
}

/**
 * A JavaScript string literal (JSON syntax, double quotes) safe inside an inline `<script>`: `<`, `>`, `&`,
 * `'`, U+2028/U+2029 and everything outside printable ASCII become `\uXXXX`, so the literal can never close
 * the script element, open an HTML comment or end a line.
 */
export function jsString(value: string): string {
  const json = JSON.stringify(value);
  let out = "";
  for (let i = 0; i < json.length; i++) {
    const code = json.charCodeAt(i);
    const ch = json[i] as string;
    if (code < 0x20 || code > 0x7e || ch === "<" || ch === ">" || ch === "&" || ch === "'") out += hex4(code);
    else out += ch;
  }
  return out;
}

/** HTML attribute value (for double-quoted attributes): `& < > " '` and non-ASCII as character references. */
export function htmlAttribute(value: string): string {
  let out = "";
  for (const ch of value) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === "&") out += "&amp;";
    else if (ch === "<") out += "&lt;";
    else if (ch === ">") out += "&gt;";
    else if (ch === '"') out += "&quot;";
    else if (ch === "'") out += "&#39;";
    // NUL is not representable; the HTML parser would turn a reference to it into U+FFFD anyway.
    else if (code === 0) out += "&#xFFFD;";
    else if (code < 0x20 || code > 0x7e) out += `&#${code};`;
    else out += ch;
  }
  return out;
}

/** A URL component (query value, path segment): `encodeURIComponent`, plus `!'()*` for RFC 3986 strictness. */
export function urlComponent(value: string): string {
  // encodeURIComponent throws on lone surrogates; they carry no text, so U+FFFD stands in for them.
  const wellFormed = value.replace(
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    "\uFFFD",
  );
  return encodeURIComponent(wellFormed).replace(
    /[!'()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
