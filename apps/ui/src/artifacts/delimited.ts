/**
 * CSV and TSV for the table preview: RFC 4180 quoting (fields in double quotes may hold the separator, newlines and
 * `""`), CRLF or LF line ends. Pure: tested in delimited.test.ts.
 */

export interface DelimitedTable {
  header: string[];
  rows: string[][];
  /** More records exist than were returned (cut by `maxRows`, or by the end of a partial read). */
  more: boolean;
}

/**
 * Splits text into records of fields. With `partial` (the text is the head of a longer file), the last record is
 * dropped unless the text ends with a line break, since it may be cut in the middle.
 */
export function parseRecords(text: string, sep: string, partial = false, maxRecords = Infinity): string[][] {
  const records: string[][] = [];
  let field = "";
  let record: string[] = [];
  let quoted = false;
  let i = 0;
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const endRecord = () => {
    record.push(field);
    field = "";
    // A blank line is no record.
    if (record.length > 1 || record[0] !== "") records.push(record);
    record = [];
  };
  while (i < src.length && records.length < maxRecords) {
    const c = src[i] as string;
    if (quoted) {
      if (c === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else field += c;
      i++;
      continue;
    }
    if (c === '"' && field === "") quoted = true;
    else if (c === sep) {
      record.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      endRecord();
      if (c === "\r" && src[i + 1] === "\n") i++;
    } else field += c;
    i++;
  }
  const complete = !partial && !quoted;
  if (records.length < maxRecords && (field !== "" || record.length > 0) && complete) endRecord();
  return records;
}

/**
 * The first `maxRows` data rows of a CSV/TSV text under its header row. Short rows are padded to the header's width
 * so the table stays rectangular; a wider row widens the header with empty names.
 */
export function parseDelimited(text: string, sep: string, maxRows = 500, partial = false): DelimitedTable {
  const records = parseRecords(text, sep, partial, maxRows + 2);
  const header = records.shift() ?? [];
  const more = records.length > maxRows || partial;
  const rows = records.slice(0, maxRows);
  const width = Math.max(header.length, ...rows.map((r) => r.length));
  while (header.length < width) header.push("");
  for (const r of rows) while (r.length < width) r.push("");
  return { header, rows, more };
}

/** The separator of a file by its name: tab for `.tsv`/`.tab`, comma otherwise. */
export function separatorFor(path: string): string {
  return /\.(tsv|tab)$/i.test(path) ? "\t" : ",";
}
