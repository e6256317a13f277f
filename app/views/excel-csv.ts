/**
 * CSV for people who open it in Excel with Norwegian settings (the statistics downloads). Pure.
 *
 * - Semicolon between cells: Excel splits a double-clicked .csv on the system's list separator,
 *   which is ";" wherever the decimal mark is a comma (nb-NO, nn-NO). With "," every row would
 *   land in one column. (The open API's export stays RFC 4180 with "," for programs.)
 * - UTF-8 with a byte-order mark, or Excel reads æøå as Windows-1252 mojibake.
 * - CRLF line ends and "…" quoting with doubled quotes where a cell holds ; " CR or LF (RFC 4180
 *   with another delimiter).
 * - Formula injection: a text cell starting with = + - @ tab or CR would be run as a formula by
 *   a spreadsheet; organisation and category names come from many feeds, so such a cell gets a
 *   leading apostrophe (OWASP's advice). Numbers are written as numbers.
 */
export type CsvCell = string | number | null | undefined;

export const CSV_BOM = "\uFEFF";
export const EXCEL_DELIMITER = ";";

export function excelCsvCell(value: CsvCell): string {
  if (value == null) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  let text = value;
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[;"\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function excelCsv(rows: readonly (readonly CsvCell[])[]): string {
  return CSV_BOM + rows.map((r) => r.map(excelCsvCell).join(EXCEL_DELIMITER) + "\r\n").join("");
}
