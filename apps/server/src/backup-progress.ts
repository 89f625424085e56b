/**
 * The progress of `tracklite backup` and `tracklite restore` on stderr: a bar redrawn in place on a terminal, plain
 * lines (a start, each quarter, the end) when stderr is a file or a pipe, so that logs stay readable.
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

/** How a phase's amounts read: bytes (`12.3 MB`) or a plain count (`1,234 files`). */
export type Unit = "bytes" | "files";

const BAR_WIDTH = 24;
/** Redraws on a terminal at most this often. */
const REDRAW_MS = 100;
const QUARTERS = [25, 50, 75] as const;

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

const amount = (n: number, unit: Unit) => (unit === "bytes" ? formatBytes(n) : `${n.toLocaleString("en-US")} files`);

/** The bar's text for a terminal: `label [█████░░░░]  42%  5.1 MB / 12.3 MB`. */
export function renderBar(label: string, done: number, total: number, unit: Unit): string {
  const ratio = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(ratio * BAR_WIDTH);
  const percent = `${Math.floor(ratio * 100)}%`.padStart(4);
  return `${label.padEnd(10)} [${"█".repeat(filled)}${"░".repeat(BAR_WIDTH - filled)}] ${percent}  ${amount(done, unit)} / ${amount(total, unit)}`;
}

/**
 * Starts a phase on `sink`. On a terminal the bar is redrawn in place (`\r`, line cleared) at most every 100 ms; on
 * anything else one line at the start, at 25, 50 and 75 %, and at the end.
 */
export function startPhase(sink: ProgressSink, label: string, total: number, unit: Unit): Phase {
  const started = Date.now();
  const tty = sink.isTTY === true;
  let lastDraw = 0;
  let done = 0;
  let quarter = 0;
  const draw = () => {
    const line = renderBar(label, done, total, unit);
    const width = sink.columns ?? 0;
    sink.write(`\r\x1b[2K${width > 0 ? line.slice(0, width - 1) : line}`);
  };
  if (tty) draw();
  else sink.write(`${label}: ${amount(total, unit)} to copy\n`);
  return {
    update(n) {
      done = Math.min(n, total);
      if (tty) {
        const now = Date.now();
        if (now - lastDraw >= REDRAW_MS) {
          lastDraw = now;
          draw();
        }
        return;
      }
      // One line for the last quarter passed (none when the update completes the phase: its end line follows).
      const percent = total > 0 ? (done / total) * 100 : 100;
      let passed: number | undefined;
      while (quarter < QUARTERS.length && percent >= (QUARTERS[quarter] ?? 100)) passed = QUARTERS[quarter++];
      if (passed !== undefined && done < total)
        sink.write(`${label}: ${passed}% (${amount(done, unit)} of ${amount(total, unit)})\n`);
    },
    end(summary) {
      done = total;
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const tail = `${summary ?? amount(total, unit)} in ${seconds} s`;
      if (tty) {
        draw();
        sink.write(`  done, ${tail}\n`);
      } else sink.write(`${label}: 100%, ${tail}\n`);
    },
  };
}
