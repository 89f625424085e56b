/**
 * The rest of `mlflow server`'s flags (3.17.2): served (`--expose-prometheus`, `--static-prefix`), accepted with a note
 * (`--workers`, `--secrets-cache-*`), or refused with one line (the WSGI/ASGI server options, `--dev`). Read replicas
 * (`--read-replica-backend-store-uri`) are read in read-replica-options.ts.
 * The flag and variable names are the reference's click options'.
 * @see mlflow/cli/__init__.py server, mlflow/utils/cli_args.py WORKERS
 */

/** parseArgs definitions of these flags, spread into the CLI's. */
export const SERVER_FLAG_OPTIONS = {
  "expose-prometheus": { type: "string" },
  workers: { type: "string", short: "w" },
  "static-prefix": { type: "string" },
  "secrets-cache-ttl": { type: "string" },
  "secrets-cache-max-size": { type: "string" },
  "gunicorn-opts": { type: "string" },
  "waitress-opts": { type: "string" },
  "uvicorn-opts": { type: "string" },
  dev: { type: "boolean" },
  "read-replica-backend-store-uri": { type: "string" },
} as const;

/** What these flags set. */
export interface ServerFlags {
  /** `--expose-prometheus DIR`: serve `/metrics`; DIR is created, as the reference creates it. */
  exposePrometheus?: string;
  /** `--static-prefix /p`: the UI and the API under `/p/…`. */
  staticPrefix?: string;
  /** One-line notes for stderr at start: flags accepted that change nothing here. */
  notices: string[];
}

/**
 * Flags tracklite refuses, and why, in one line each. The reference runs under uvicorn (or gunicorn/waitress) with
 * hot reload for `--dev`; tracklite is one Node process.
 */
const REFUSED: Record<string, string> = {
  "gunicorn-opts": "tracklite does not run under gunicorn; --gunicorn-opts is not supported.",
  "waitress-opts": "tracklite does not run under waitress; --waitress-opts is not supported.",
  "uvicorn-opts": "tracklite does not run under uvicorn; --uvicorn-opts is not supported.",
  dev: "tracklite has no --dev mode; for auto-reload from source run `npm run dev -w apps/server`.",
};

/** The reference's MLFLOW_* variables of the refused flags: ignored with a note, so an inherited environment still starts. */
const REFUSED_ENV: Record<string, string> = {
  MLFLOW_GUNICORN_OPTS: "gunicorn-opts",
  MLFLOW_UVICORN_OPTS: "uvicorn-opts",
};

type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** Reads these flags (each over its MLflow variable); a message for a refused flag or a bad value. */
export function readServerFlags(
  values: Values,
  env: Record<string, string | undefined>,
): ServerFlags | { error: string } {
  for (const [flag, message] of Object.entries(REFUSED)) if (values[flag] !== undefined) return { error: message };
  const notices: string[] = [];
  for (const [name, flag] of Object.entries(REFUSED_ENV))
    if (env[name]) notices.push(`${name} is ignored: ${REFUSED[flag]}`);

  const text = (flag: string, envName?: string) =>
    (values[flag] as string | undefined) ?? (envName ? env[envName] || undefined : undefined);

  const staticPrefix = text("static-prefix", "MLFLOW_STATIC_PREFIX");
  if (staticPrefix !== undefined) {
    const problem = staticPrefixProblem(staticPrefix);
    if (problem) return { error: `Error: ${problem}` };
  }
  const workers = text("workers", "MLFLOW_WORKERS");
  if (workers !== undefined)
    notices.push(
      `--workers ${workers} is ignored: tracklite serves from one process (one writer on the database; requests are concurrent within it).`,
    );
  for (const [flag, min, max] of [
    ["secrets-cache-ttl", 10, 300],
    ["secrets-cache-max-size", 1, 10000],
  ] as const) {
    const value = text(flag);
    if (value === undefined) continue;
    const n = Number(value);
    if (!/^\s*[-+]?\d+\s*$/.test(value))
      return { error: `Error: Invalid value for '--${flag}': '${value}' is not a valid integer.` };
    if (n < min || n > max)
      return { error: `Error: Invalid value for '--${flag}': ${n} is not in the range ${min}<=x<=${max}.` };
    notices.push(`--${flag} is ignored: tracklite keeps no server-side secrets cache.`);
  }
  const exposePrometheus = text("expose-prometheus", "MLFLOW_EXPOSE_PROMETHEUS");
  return {
    ...(exposePrometheus ? { exposePrometheus } : {}),
    ...(staticPrefix ? { staticPrefix } : {}),
    notices,
  };
}

/** The reference's checks of `--static-prefix` (its click callback), with its words. */
export function staticPrefixProblem(value: string): string | undefined {
  if (!value.startsWith("/")) return "--static-prefix must begin with a '/'.";
  if (value.endsWith("/")) return "--static-prefix should not end with a '/'.";
  if (value.includes("{") || value.includes("}")) return "--static-prefix must not contain '{' or '}'.";
  return undefined;
}

/** Flags whose values are command lines, so they start with a dash (`--gunicorn-opts "--timeout 60"`). */
const COMMAND_LINE_VALUES = new Set(["--gunicorn-opts", "--waitress-opts", "--uvicorn-opts"]);

/**
 * MLflow's command lines, made readable by node's parseArgs: mlflow's `-h` is `--host` (`mlflow server -h 0.0.0.0`)
 * while tracklite's `-h` is `--help`, so a `-h` followed by a value is read as `--host` (`-h` alone still shows the
 * help); and a `--…-opts` value that starts with a dash is attached with `=`.
 */
export function mlflowArgv(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const next = argv[i + 1];
    if (arg === "-h" && next !== undefined && !next.startsWith("-") && out.length > 0) {
      out.push("--host", next);
      i++;
    } else if (COMMAND_LINE_VALUES.has(arg) && next !== undefined) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

export const SERVER_FLAGS_HELP = `
More of mlflow server's flags:
  --expose-prometheus DIR          Serve Prometheus metrics at /metrics (outside --static-prefix, as MLflow does):
                                     requests by method, route template and status, their latency histogram,
                                     ingested metric values and spans, writer-queue depth, database size, process
                                     stats. DIR is created; tracklite is one process and keeps the metrics in memory.
                                     [MLFLOW_EXPOSE_PROMETHEUS]
  --static-prefix /PREFIX          Serve the UI and the API under /PREFIX (/PREFIX/api/2.0/…, /PREFIX/ajax-api/…,
                                     /PREFIX/health, the UI at /PREFIX/); clients use http://host:port/PREFIX.
                                     [MLFLOW_STATIC_PREFIX]
  -w, --workers N                  Accepted and ignored (one line on stderr): tracklite is one process.
                                     [MLFLOW_WORKERS]
  --secrets-cache-ttl, --secrets-cache-max-size
                                     Accepted (range-checked as MLflow does) and ignored: no secrets cache here.
  -h HOST                          As in mlflow, -h with a value is --host; -h alone shows this help.
  --read-replica-backend-store-uri file:PATH
                                     Serve reads from a local copy of the --backend-store-uri libSQL server (sqld,
                                     Turso): a libSQL embedded replica in PATH (sync state in PATH-client_wal_index),
                                     pulled from the primary every TRACKLITE_READ_REPLICA_SYNC_INTERVAL seconds
                                     (default 1) and before each write. Writes go to the primary; a client reads its
                                     own writes through this server at once. One server process per replica file.
                                     [MLFLOW_READ_REPLICA_BACKEND_STORE_URI]
  --gunicorn-opts, --waitress-opts, --uvicorn-opts, --dev
                                     Refused with a one-line message (exit status 2): tracklite is one Node process.
                                     MLFLOW_GUNICORN_OPTS and MLFLOW_UVICORN_OPTS are ignored with a note.
`;
