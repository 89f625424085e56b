/**
 * The progress of `tracklite backup`, `restore` and `import` on stderr: a bar redrawn in place on a terminal, plain
 * lines (a start, each quarter, the end) when stderr is a file or a pipe, so that logs stay readable. A phase may carry
 * a tail (rates and ETA, for the import) drawn after the amounts.
 */

/** Where progress goes: `process.stderr`, or anything with its shape. */
export interface ProgressSink {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

/** One phase (the database, the artifacts) with a known total. */
export interface Phase {
  /** Sets how much is done, in the phase's unit. */
  update(done: number): void;
  /** Finishes the phase: the bar at 100 % (or the last line) and a summary. */
  end(summary?: string): void;
}

/** How a phase's amounts read: bytes (`12.3 MB`) or a plain count (`1,234 files`, `1,234 runs`). */
export type Unit = "bytes" | "files" | "runs";

/** What else a phase shows: a tail after the amounts, and the verb of its start line. */
export interface PhaseOptions {
  /** Text drawn after the amounts (rates, ETA), from what is done and the milliseconds since the start. */
  tail?: (done: number, elapsedMs: number) => string;
  /** The start line's verb when stderr is not a terminal: `database: 12 MB to copy`. Default "copy". */
  verb?: string;
}

const BAR_WIDTH = 24;
/** Redraws on a terminal at most this often. */
const REDRAW_MS = 100;
const QUARTERS = [25, 50, 75] as const;
/** Without a total, a log gets a line this often. */
const UNKNOWN_TOTAL_LINE_MS = 10_000;

/** `1234567` → `1.2 MB` (decimal units, as `ls -h --si` and most download bars). */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ["kB", "MB", "GB", "TB"] as const;
  let value = n;
  let unit = "B";
  for (const u of units) {
    if (value < 1000) break;
    value /= 1000;
    unit = u;
  }
  return `${value.toFixed(value < 10 ? 2 : 1)} ${unit}`;
}

const amount = (n: number, unit: Unit) => (unit === "bytes" ? formatBytes(n) : `${n.toLocaleString("en-US")} ${unit}`);

/** `12345.6` per second of `points` → `12.3k points/s` (a count per second, short). */
export function formatRate(perSecond: number, noun: string): string {
  if (!Number.isFinite(perSecond) || perSecond < 0) return `- ${noun}/s`;
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(1)}M ${noun}/s`;
  if (perSecond >= 1e4) return `${(perSecond / 1e3).toFixed(0)}k ${noun}/s`;
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toFixed(1)}k ${noun}/s`;
  return `${perSecond.toFixed(perSecond < 10 ? 1 : 0)} ${noun}/s`;
}

/** A duration left, as a person reads it: `45s`, `3m 05s`, `2h 10m`; `?` when it cannot be told yet. */
export function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "?";
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

/** Seconds left at the pace so far, or NaN before anything is done. */
export function etaSeconds(done: number, total: number, elapsedMs: number): number {
  if (done <= 0 || elapsedMs <= 0) return Number.NaN;
  return Math.max(0, ((total - done) * elapsedMs) / done / 1000);
}

/** The bar's text for a terminal: `label [█████░░░░]  42%  5.1 MB / 12.3 MB`. */
export function renderBar(label: string, done: number, total: number, unit: Unit): string {
  // An unknown total (NaN: the source cannot count cheaply) leaves the bar empty and says so.
  const known = Number.isFinite(total);
  const ratio = !known ? 0 : total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(ratio * BAR_WIDTH);
  const percent = (known ? `${Math.floor(ratio * 100)}%` : "?").padStart(4);
  const of = known ? amount(total, unit) : "?";
  return `${label.padEnd(10)} [${"█".repeat(filled)}${"░".repeat(BAR_WIDTH - filled)}] ${percent}  ${amount(done, unit)} / ${of}`;
}

/**
 * Starts a phase on `sink`. On a terminal the bar is redrawn in place (`\r`, line cleared) at most every 100 ms; on
 * anything else one line at the start, at 25, 50 and 75 %, and at the end.
 */
export function startPhase(
  sink: ProgressSink,
  label: string,
  total: number,
  unit: Unit,
  options: PhaseOptions = {},
): Phase {
  const started = Date.now();
  const tail = () => (options.tail ? `  ${options.tail(done, Date.now() - started)}` : "");
  const tty = sink.isTTY === true;
  let lastDraw = tty ? 0 : Date.now();
  let done = 0;
  let quarter = 0;
  const draw = () => {
    const line = renderBar(label, done, total, unit) + tail();
    const width = sink.columns ?? 0;
    sink.write(`\r\x1b[2K${width > 0 ? line.slice(0, width - 1) : line}`);
  };
  if (tty) draw();
  else
    sink.write(
      `${label}: ${Number.isFinite(total) ? amount(total, unit) : `? ${unit}`} to ${options.verb ?? "copy"}\n`,
    );
  return {
    update(n) {
      done = Number.isFinite(total) ? Math.min(n, total) : n;
      if (tty) {
        const now = Date.now();
        if (now - lastDraw >= REDRAW_MS) {
          lastDraw = now;
          draw();
        }
        return;
      }
      if (!Number.isFinite(total)) {
        // No quarters without a total: a line every 10 s instead, so that a log shows it is moving.
        const now = Date.now();
        if (now - lastDraw >= UNKNOWN_TOTAL_LINE_MS) {
          lastDraw = now;
          sink.write(`${label}: ${amount(done, unit)}${tail()}\n`);
        }
        return;
      }
      // One line for the last quarter passed (none when the update completes the phase: its end line follows).
      const percent = total > 0 ? (done / total) * 100 : 100;
      let passed: number | undefined;
      while (quarter < QUARTERS.length && percent >= (QUARTERS[quarter] ?? 100)) passed = QUARTERS[quarter++];
      if (passed !== undefined && done < total)
        sink.write(`${label}: ${passed}% (${amount(done, unit)} of ${amount(total, unit)})${tail()}\n`);
    },
    end(summary) {
      if (Number.isFinite(total)) done = total;
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const last = `${summary ?? amount(done, unit)} in ${seconds} s`;
      if (tty) {
        draw();
        sink.write(`  done, ${last}\n`);
      } else sink.write(`${label}: 100%, ${last}\n`);
    },
  };
}
