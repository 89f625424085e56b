/**
 * Ctrl-C (SIGINT) or SIGTERM while `tracklite backup` or `tracklite restore` copies: what was written so far is
 * removed, so that no half backup (or half-staged restore) is left to be mistaken for a whole one, and the process
 * ends by the signal (the shell shows 130 or 143). The places being replaced are never touched: restore
 * swaps them in synchronous renames, which no signal handler can run in the middle of.
 */
export function onInterrupt(cleanup: () => void): () => void {
  const handler = (signal: NodeJS.Signals) => {
    try {
      cleanup();
    } finally {
      process.stderr.write(`\nInterrupted (${signal}): nothing was kept.\n`);
      // Dying of the signal itself, as the shell expects, ends a copy still running on the worker thread at once
      // (an exit() would wait for the driver to come back to a torn-down thread and abort).
      process.off("SIGINT", handler);
      process.off("SIGTERM", handler);
      process.kill(process.pid, signal);
    }
  };
  process.once("SIGINT", handler);
  process.once("SIGTERM", handler);
  return () => {
    process.off("SIGINT", handler);
    process.off("SIGTERM", handler);
  };
}
