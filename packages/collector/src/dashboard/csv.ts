/** CSV export: RFC 4180 quoting, CRLF line ends, and cells that spreadsheets would run as formulas neutralised. */

export type CsvCell = string | number | null | undefined;

/**
 * Leading characters a spreadsheet skips before it decides whether a cell is a formula: whitespace (NFKC turns
 * no-break and other spaces into U+0020) and invisible format characters. Tab and CR are not skipped: they start
 * a formula themselves.
 */
const SKIPPED_LEADING = /^(?:[^\S\t\r]|\p{Cf})*/u;
// OWASP "CSV injection": a cell starting with one of these is evaluated as a formula by Excel/Sheets/LibreOffice.
const FORMULA_START = /^[=+\-@\t\r]/;
/** Quoted so that no reader splits the cell, whether it separates fields by comma, semicolon or tab. */
const NEEDS_QUOTES = /[",;\t\r\n]/;

/**
 * True when a spreadsheet could read `text` as a formula: its first character that is not a space, after NFKC
 * normalisation (`＝` is `=`, a no-break space is a space), is `=`, `+`, `-`, `@`, tab or CR.
 */
export function isFormulaLike(text: string): boolean {
  const normalised = text.normalize("NFKC");
  return FORMULA_START.test(normalised.replace(SKIPPED_LEADING, ""));
}

/** One cell: formula-safe (prefixed with `'`), quoted when it holds a comma, semicolon, quote, tab or line break. */
export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  let text = value;
  if (isFormulaLike(text)) text = `'${text}`;
  if (NEEDS_QUOTES.test(text)) return `"${text.replace(/"/g, '""')}"`;
  return text;
}

/** A whole document: a header row and data rows, each line ended by CRLF as RFC 4180 says. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  const lines = [header.map(csvCell).join(",")];
  for (const row of rows) lines.push(row.map(csvCell).join(","));
  return `${lines.join("\r\n")}\r\n`;
}
