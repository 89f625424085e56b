/**
 * A setting or a place the server cannot start with: the CLI prints its message as one line on stderr and exits with
 * status 2, as `mlflow server` (click) does for its usage errors, instead of a stack trace.
 */
export class UsageError extends Error {}
