/**
 * CSV for the runs table's "Download CSV" (RFC 4180): a field is quoted when it holds a comma, a double quote, a line
 * break or leading/trailing spaces; quotes inside are doubled; records end with CRLF.
 */

export function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** The header and rows as one CSV text. */
export function toCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [header, ...rows].map((r) => `${r.map(csvField).join(",")}\r\n`).join("");
}

/** Saves text as a file through a temporary link (the browser's download). */
export function downloadText(text: string, filename: string, type = "text/csv;charset=utf-8") {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
