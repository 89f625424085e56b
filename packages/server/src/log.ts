/**
 * The server's one way to report a failure to the operator. Logging is best effort: a log sink that cannot be
 * written (a full disk, a closed pipe) must never fail the request being answered, nor take the server down.
 */
export function logError(...args: unknown[]): void {
  try {
    console.error(...args);
  } catch {
    // Nowhere left to report it; the request still gets its answer.
  }
}
