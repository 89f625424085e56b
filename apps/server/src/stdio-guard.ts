/**
 * Keeps a broken log sink from killing the server. Node reports a failed write to stdout or stderr (EPIPE when the
 * reader of a pipe went away, ENOSPC on a full disk, EIO on a lost terminal) as an 'error' event on the stream; with no
 * listener that event becomes an uncaught exception and the process exits with code 1, in the middle of serving
 * requests. Logs are best effort: the server goes on serving, and stops writing to a sink that failed.
 */

/** The error codes of a write that failed because of where the output goes, not because of the server. */
const SINK_ERRORS = new Set([
  "EPIPE",
  "ENOSPC",
  "EIO",
  "EDQUOT",
  "EFBIG",
  "EAGAIN",
  "EBADF",
  "ECONNRESET",
  "ERR_STREAM_DESTROYED",
  "ERR_STREAM_WRITE_AFTER_END",
]);

/** Whether an uncaught error is a failed write to a log sink (and so no reason to exit). */
export function isLogSinkFailure(err: unknown): boolean {
  if (typeof err !== "object" || err === null) return false;
  const { code, syscall } = err as { code?: unknown; syscall?: unknown };
  if (typeof code !== "string" || !SINK_ERRORS.has(code)) return false;
  return syscall === undefined || syscall === "write" || syscall === "writev";
}

interface GuardedProcess {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  on(event: "uncaughtException", listener: (err: Error) => void): unknown;
  exit(code?: number): never;
}

/**
 * Swallows write errors of stdout and stderr, and turns any other uncaught exception into the usual report and exit
 * code 1 (which installing an 'uncaughtException' listener would otherwise suppress).
 */
export function guardStdio(proc: GuardedProcess = process): void {
  for (const stream of [proc.stdout, proc.stderr]) stream.on("error", () => {});
  proc.on("uncaughtException", (err) => {
    if (isLogSinkFailure(err)) return;
    try {
      proc.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    } catch {
      // The report is lost; the exit code still says what happened.
    }
    proc.exit(1);
  });
}
