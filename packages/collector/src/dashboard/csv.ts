/** CSV export: RFC 4180 quoting, CRLF line ends, and cells that spreadsheets would run as formulas neutralised. */

export type CsvCell = string | number | null | undefined;

// OWASP "CSV injection": a cell starting with one of these is evaluated as a formula by Excel/Sheets/LibreOffice.
const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: formula-safe (prefixed with `'`), quoted when it holds a comma, quote, CR or LF. */
export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  let text = value;
  if (FORMULA_START.test(text)) text = `'${text}`;
  if (/[",\r\n]/.test(text)) return `"${text.replace(/"/g, '""')}"`;
  return text;
}

/** A whole document: a header row and data rows, each line ended by CRLF as RFC 4180 says. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  const lines = [header.map(csvCell).join(",")];
  for (const row of rows) lines.push(row.map(csvCell).join(","));
  return `${lines.join("\r\n")}\r\n`;
}
