/**
 * Metric files, read as a stream: one point per line, `timestamp value [step [dataset_name dataset_digest]]` for a
 * run, `timestamp value step run_id [dataset_name dataset_digest]` for a logged model. A history of millions of points
 * is read in 1 MiB chunks and never held whole.
 * @see mlflow/store/tracking/file_store.py _get_metric_from_line, _get_model_metric_from_line
 */
import { open } from "node:fs/promises";

/**
 * Every line of a file (without its end of line), a chunk's worth at a time: one await per MiB rather than per line,
 * which is what makes a long history cheap to read.
 */
export async function* readLineBatches(path: string, chunkSize = 1 << 20): AsyncGenerator<string[]> {
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.allocUnsafe(chunkSize);
    const decoder = new TextDecoder("utf-8");
    let rest = "";
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, chunkSize, null);
      if (bytesRead === 0) break;
      const lines = (rest + decoder.decode(buffer.subarray(0, bytesRead), { stream: true })).split("\n");
      rest = lines.pop() ?? "";
      if (lines.length > 0) yield lines;
    }
    rest += decoder.decode();
    if (rest !== "") yield [rest];
  } finally {
    await handle.close();
  }
}

/** How many lines a file holds (a last line without its newline included), counted without decoding it. */
export async function countLines(path: string, chunkSize = 1 << 20): Promise<number> {
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.allocUnsafe(chunkSize);
    let count = 0;
    let last = 10;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, chunkSize, null);
      if (bytesRead === 0) break;
      for (let i = buffer.indexOf(10, 0); i !== -1 && i < bytesRead; i = buffer.indexOf(10, i + 1)) count++;
      last = buffer[bytesRead - 1] as number;
    }
    return last === 10 ? count : count + 1;
  } finally {
    await handle.close();
  }
}

/** Every line of a file, one by one (for small files; histories use readLineBatches). */
export async function* readLines(path: string, chunkSize = 1 << 20): AsyncGenerator<string> {
  for await (const lines of readLineBatches(path, chunkSize)) yield* lines;
}

/**
 * A number as Python's `float()` reads what MLflow wrote with `str(float)`: `nan`, `inf`, `-inf` included
 * (JavaScript's Number() reads neither `inf` nor `nan`). Undefined when it is no number.
 */
export function parsePythonFloat(text: string): number | undefined {
  const n = Number(text);
  if (!Number.isNaN(n) && text !== "" && text.trim() !== "") return n;
  switch (text.trim().toLowerCase()) {
    case "nan":
    case "+nan":
    case "-nan":
      return Number.NaN;
    case "inf":
    case "+inf":
    case "infinity":
    case "+infinity":
      return Number.POSITIVE_INFINITY;
    case "-inf":
    case "-infinity":
      return Number.NEGATIVE_INFINITY;
    default:
      return undefined;
  }
}

/** Python's int() of what MLflow wrote (`[+-]digits`), without a regex: this runs once per point. */
function parseInteger(text: string): number | undefined {
  const n = text.length;
  if (n === 0) return undefined;
  let i = text.charCodeAt(0) === 43 || text.charCodeAt(0) === 45 ? 1 : 0;
  if (i === n) return undefined;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  return Number(text);
}

export interface ParsedMetricLine {
  timestamp: number;
  value: number;
  step: number;
  run_id?: string;
  dataset_name?: string;
  dataset_digest?: string;
}

/** The fields of a line as Python's `line.strip().split(" ")` cuts them. */
function fields(line: string): string[] {
  let start = 0;
  let end = line.length;
  while (start < end && line.charCodeAt(start) <= 32) start++;
  while (end > start && line.charCodeAt(end - 1) <= 32) end--;
  return (start === 0 && end === line.length ? line : line.slice(start, end)).split(" ");
}

/**
 * One line of a run's metric file, or undefined when malformed. A 5-field line (MLflow 3's metric with a dataset)
 * keeps its step: the reference's FileStore reader reads step 0 for it (it takes the step only from 3-field lines),
 * while its own `mlflow migrate-filestore` keeps the step written, which is what was logged.
 */
export function parseRunMetricLine(line: string): ParsedMetricLine | undefined {
  const parts = fields(line);
  if (parts.length !== 2 && parts.length !== 3 && parts.length !== 5) return undefined;
  const timestamp = parseInteger(parts[0] as string);
  const value = parsePythonFloat(parts[1] as string);
  const step = parts.length === 2 ? 0 : parseInteger(parts[2] as string);
  if (timestamp === undefined || value === undefined || step === undefined) return undefined;
  if (parts.length === 5) return { timestamp, value, step, dataset_name: parts[3], dataset_digest: parts[4] };
  return { timestamp, value, step };
}

/** One line of a logged model's metric file (`timestamp value step run_id [dataset_name dataset_digest]`). */
export function parseModelMetricLine(line: string): ParsedMetricLine | undefined {
  const parts = fields(line);
  if (parts.length !== 4 && parts.length !== 6) return undefined;
  const timestamp = parseInteger(parts[0] as string);
  const value = parsePythonFloat(parts[1] as string);
  const step = parseInteger(parts[2] as string);
  if (timestamp === undefined || value === undefined || step === undefined) return undefined;
  const point: ParsedMetricLine = { timestamp, value, step, run_id: parts[3] };
  if (parts.length === 6) {
    point.dataset_name = parts[4];
    point.dataset_digest = parts[5];
  }
  return point;
}
