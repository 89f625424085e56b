import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import {
  type ReadReplicaOptions,
  type SecurityOptions,
  SYNCHRONOUS_LEVELS,
  type Synchronous,
  securityOptionsFromEnv,
} from "@tracklite/server";
import { type BackupCommand, parseBackupCommand } from "./backup-options.js";
import { type DbUpgradeCommand, parseDbCommand } from "./db-upgrade-command.js";
import { type ImportCommand, parseImportCommand } from "./import/command.js";
import { readReplicaOption } from "./read-replica-options.js";
import {
  mlflowArgv,
  readServerFlags,
  SERVER_FLAG_OPTIONS,
  SERVER_FLAGS_HELP,
  type ServerFlags,
} from "./server-flags.js";
import { redactUri, toLibsqlUrl, unservedStoreUri } from "./store-uri.js";
import { suggestCommand, unknownOptionMessage } from "./unknown-option.js";

/** What `tracklite server` runs with, after flags, environment and defaults are merged. */
export interface ServerOptions {
  host: string;
  port: number;
  backendStoreUri: string;
  artifactsDestination: string;
  defaultArtifactRoot: string;
  /** `basic-auth`: sign-in and permissions on every route (MLflow's basic-auth app). */
  appName?: "basic-auth";
  /** MLflow's security middleware: Host and Origin checks, CORS, security headers. */
  security: SecurityOptions;
  /** MLflow 3's workspaces: experiments, registered models and webhooks confined to the X-MLFLOW-WORKSPACE one. */
  enableWorkspaces: boolean;
  /** Request bodies over this many bytes are refused with 413 (artifact uploads excepted). */
  maxRequestBodyBytes: number;
  /** `--sqlite-synchronous`: whether a commit to a local database file waits for an fsync (`full`) or not. */
  synchronous: Synchronous;
  /** `--trace-archival-config`: the YAML file of server-owned trace archival. */
  traceArchivalConfig?: string;
  // --serve-artifacts, --artifacts-only, --registry-store-uri.
  /** `--serve-artifacts` (default) / `--no-serve-artifacts`: the mlflow-artifacts proxy. */
  serveArtifacts: boolean;
  /** `--artifacts-only`: only the artifact proxy is served; no backend store is opened. */
  artifactsOnly: boolean;
  // --expose-prometheus, --static-prefix, --workers and the rest of mlflow server's flags.
  /** `--expose-prometheus`, `--static-prefix`, and notes about flags accepted without effect. */
  serverFlags?: ServerFlags;
  /** `--read-replica-backend-store-uri`: reads from a local embedded replica of the libSQL server store. */
  readReplica?: ReadReplicaOptions;
}

/** 32 MiB: twice MLflow's largest field (a 16 MiB dataset profile); the reference sets no limit. */
export const DEFAULT_MAX_REQUEST_BODY_SIZE = 32 * 1024 * 1024;

export const HELP = `tracklite: an MLflow-compatible experiment-tracking server.

Usage:
  tracklite server [options]   Start the tracking server: the API and the web UI at /.
  tracklite ui [options]       The same, as \`mlflow ui\` is for \`mlflow server\`.
  tracklite db upgrade URL     Migrate a database to this version's schema, then exit (\`mlflow db upgrade\`).
  tracklite import SOURCE      Copy an MLflow history (mlflow.db, PostgreSQL, MySQL, ./mlruns, a live server) into
                                 tracklite's store. \`tracklite import --help\` shows the options.
  tracklite --help             Show this help.
  tracklite --version          Show the version.

Options (each also read from the MLflow environment variable shown):
  --host HOST                      Address to bind.            [MLFLOW_HOST]  default 127.0.0.1
  -p, --port PORT                  Port to listen on.          [MLFLOW_PORT]  default 5000
  --backend-store-uri URI          Where tracking data lives:  [MLFLOW_BACKEND_STORE_URI]
                                     file:./mlruns/tracklite.db (default, embedded libSQL),
                                     sqlite:///path/to.db, libsql://…, http(s)://…, ws(s)://… (sqld, Turso).
  --artifacts-destination DEST     Where artifacts are stored. [MLFLOW_ARTIFACTS_DESTINATION]
                                     a local folder (default ./mlruns/artifacts), or
                                     s3://bucket/prefix (AWS S3 or an S3-compatible server; see below).
  --default-artifact-root URI      Artifact root for new experiments. [MLFLOW_DEFAULT_ARTIFACT_ROOT]
                                     default mlflow-artifacts:/ (artifacts proxied by this server)
  --app-name basic-auth            Require sign-in and check permissions (MLflow's basic-auth app).
                                     Settings: the ini file at MLFLOW_AUTH_CONFIG_PATH ([mlflow] default_permission,
                                     database_uri, admin_username, admin_password); the first admin's password from
                                     MLFLOW_AUTH_ADMIN_PASSWORD (or admin_password). See README "Authentication".
  --max-request-body-size BYTES    Larger request bodies get 413 (artifact uploads are not limited).
                                     [TRACKLITE_MAX_REQUEST_BODY_SIZE]  default 33554432 (32 MiB)
  --sqlite-synchronous normal|full  When a commit to a local database file is acknowledged. normal: written to the
                                     WAL without an fsync, so it survives a crash or kill -9 of the server but an OS
                                     crash or power loss can drop the last commits; full: after an fsync of each
                                     commit (about 1-4 ms more a write). [TRACKLITE_SQLITE_SYNCHRONOUS]  default normal
  --enable-workspaces              Confine experiments (with their runs), registered models, prompts and webhooks
                                     to workspaces, picked per request by the X-MLFLOW-WORKSPACE header; adds the
                                     /api/3.0/mlflow/workspaces API. [MLFLOW_ENABLE_WORKSPACES]  default off
  --disable-workspaces             The default.
  --workspace-store-uri URI        Accepted for MLflow's sake: workspaces always live in the backend store, so it
                                     must name that store (or be left out). [MLFLOW_WORKSPACE_STORE_URI]
  --serve-artifacts                Serve the artifact proxy (mlflow-artifacts:/ locations, stored at
                                     --artifacts-destination). [MLFLOW_SERVE_ARTIFACTS]  default on
  --no-serve-artifacts             Do not: the proxy's routes answer 503, and new experiments keep their artifacts
                                     at --default-artifact-root (default ./mlruns), which clients write themselves.
  --artifacts-only                 Serve only the artifact proxy (the tracking API answers 503); opens no backend
                                     store, so --backend-store-uri must be left out. [MLFLOW_ARTIFACTS_ONLY]
  --registry-store-uri URI         Accepted for MLflow's sake: registered models always live in the backend store,
                                     so it must name that store (or be left out). [MLFLOW_REGISTRY_STORE_URI]
  --trace-archival-config PATH     YAML file turning on trace archival: spans of traces older than the retention move
                                     to an archive location (file:///… or s3://…). See README "Trace archival".
                                     [MLFLOW_TRACE_ARCHIVAL_CONFIG]

Security (MLflow's middleware; on by default, as in mlflow server):
  --allowed-hosts HOSTS            Host headers to accept, comma-separated; * and ? wildcards. [MLFLOW_SERVER_ALLOWED_HOSTS]
                                     Replaces the default: localhost and 127.0.0.1 (any port), 10.*, 172.16-31.*,
                                     192.168.*. Set it when the server is reached by a name; '*' accepts any Host
                                     (leaves DNS rebinding open).
  --cors-allowed-origins ORIGINS   Web origins that may call the API, comma-separated, besides the localhost ones.
                                     [MLFLOW_SERVER_CORS_ALLOWED_ORIGINS]  '*' allows any origin, without credentials.
  --x-frame-options VALUE          SAMEORIGIN (default), DENY, or NONE (no header). [MLFLOW_SERVER_X_FRAME_OPTIONS]
  --disable-security-middleware    DANGEROUS: no Host, Origin or CORS checks. [MLFLOW_SERVER_DISABLE_SECURITY_MIDDLEWARE]

  -h, --help                       Show this help.

  The web UI is served from ui/ beside the CLI; TRACKLITE_UI_DIR points elsewhere (a built apps/ui/dist, say).
  Remote libSQL servers read their token from LIBSQL_AUTH_TOKEN (or TURSO_AUTH_TOKEN).
  An s3:// destination reads MLflow's variables: MLFLOW_S3_ENDPOINT_URL (e.g. MinIO), AWS_ACCESS_KEY_ID,
  AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_DEFAULT_REGION, MLFLOW_S3_IGNORE_TLS and
  MLFLOW_BOTO_CLIENT_ADDRESSING_STYLE; without keys, the AWS SDK's usual credential chain. It also serves
  MLflow's presigned multipart upload (clients opt in with MLFLOW_ENABLE_PROXY_MULTIPART_UPLOAD=true).
  Registry webhooks read MLFLOW_WEBHOOK_ALLOWED_SCHEMES (default https), MLFLOW_WEBHOOK_ALLOW_PRIVATE_IPS,
  MLFLOW_WEBHOOK_REQUEST_TIMEOUT, MLFLOW_WEBHOOK_REQUEST_MAX_RETRIES, MLFLOW_WEBHOOK_DELIVERY_MAX_WORKERS and
  MLFLOW_WEBHOOK_SECRET_ENCRYPTION_KEY (a Fernet key that encrypts webhook secrets at rest).
${SERVER_FLAGS_HELP}
  MLFLOW_SERVER_ENABLE_CUSTOM_SCORERS=true lets clients register @scorer functions (stored, never run).

Backup and restore (a database file and local artifacts; see README "Backup and restore"):
  tracklite backup DEST [options]  Copy the database (a consistent snapshot, while a server keeps serving) and the
                                     artifacts into the new folder DEST, with a progress bar on stderr.
  tracklite restore SRC [options]  Put a backup back; refuses a store with data unless --force (which moves it
                                     aside), and a database a server has open. \`tracklite backup --help\` for options.

Then point MLflow at it:
  export MLFLOW_TRACKING_URI=http://127.0.0.1:5000
`;

export type Command =
  | { kind: "help" }
  | { kind: "version" }
  | { kind: "server"; options: ServerOptions }
  /** One line on stderr, exit status 2. */
  | { kind: "error"; message: string }
  // backup (issue 16): `tracklite backup DEST`, `tracklite restore SRC`.
  | BackupCommand
  // `tracklite db upgrade URL` (worker area).
  | DbUpgradeCommand
  | { kind: "db-help" }
  // import (issue 17): `tracklite import SOURCE`.
  | ImportCommand;

/** The flags of `tracklite server`, for parseArgs (and for the "did you mean" of an unknown one). */
export const OPTIONS = {
  host: { type: "string" },
  port: { type: "string", short: "p" },
  "backend-store-uri": { type: "string" },
  "artifacts-destination": { type: "string" },
  "default-artifact-root": { type: "string" },
  "app-name": { type: "string" },
  "allowed-hosts": { type: "string" },
  "cors-allowed-origins": { type: "string" },
  "x-frame-options": { type: "string" },
  "disable-security-middleware": { type: "boolean" },
  "enable-workspaces": { type: "boolean" },
  "disable-workspaces": { type: "boolean" },
  "workspace-store-uri": { type: "string" },
  "max-request-body-size": { type: "string" },
  "sqlite-synchronous": { type: "string" },
  "trace-archival-config": { type: "string" },
  // --serve-artifacts, --artifacts-only, --registry-store-uri.
  "serve-artifacts": { type: "boolean" },
  "no-serve-artifacts": { type: "boolean" },
  "artifacts-only": { type: "boolean" },
  "registry-store-uri": { type: "string" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean" },
  // The rest of mlflow server's flags.
  ...SERVER_FLAG_OPTIONS,
} as const;

/** Parses `argv` (without node and script) with `env` as fallback; MLflow's flag and variable names. */
export function parseCommand(argv: string[], env: Record<string, string | undefined>): Command {
  // backup (issue 16): the commands with flags of their own.
  if (argv[0] === "backup" || argv[0] === "restore") return parseBackupCommand(argv[0], argv.slice(1), env);
  // import (issue 17): `tracklite import SOURCE`, with flags of its own.
  if (argv[0] === "import") return parseImportCommand(argv.slice(1), env);
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: mlflowArgv(argv), allowPositionals: true, options: OPTIONS });
  } catch (e) {
    return { kind: "error", message: unknownOptionMessage(e, Object.keys(OPTIONS)) };
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: "help" };
  if (values.version) return { kind: "version" };
  if (positionals.length === 0) return { kind: "help" };
  const [command, ...rest] = positionals;
  if (command === "db") return parseDbCommand(rest); // worker area: `tracklite db upgrade URL`
  if (command !== "server" && command !== "ui") return { kind: "error", message: suggestCommand(command ?? "") };
  if (rest.length > 0)
    return {
      kind: "error",
      message: `Got unexpected extra argument${rest.length > 1 ? "s" : ""} (${rest.join(" ")}).`,
    };
  const str = (flag: string, envName: string, fallback: string) =>
    (values[flag] as string | undefined) ?? env[envName] ?? fallback;
  const rawPort = str("port", "MLFLOW_PORT", "5000");
  const port = Number(rawPort);
  // click's words for an int option.
  if (!/^\s*[+-]?\d+\s*$/.test(rawPort))
    return { kind: "error", message: `Invalid value for '--port' / '-p': '${rawPort}' is not a valid integer.` };
  if (port < 0 || port > 65535)
    return { kind: "error", message: `Invalid value for '--port' / '-p': ${port} is not in the range 0<=x<=65535.` };
  const artifactsDestination = localDestination(
    str("artifacts-destination", "MLFLOW_ARTIFACTS_DESTINATION", "./mlruns/artifacts"),
  );
  const badDestination = unservedDestination(artifactsDestination);
  if (badDestination) return { kind: "error", message: badDestination };
  if (/^s3:/i.test(artifactsDestination) && !isS3Uri(artifactsDestination))
    return {
      kind: "error",
      message: `Invalid S3 artifacts destination (want s3://bucket/prefix): ${artifactsDestination}`,
    };
  const appName = values["app-name"] as string | undefined;
  if (appName !== undefined && appName !== "basic-auth")
    return {
      kind: "error",
      message: `Invalid value for '--app-name': '${appName}' is not one of 'basic-auth'.`,
    };
  // The reference refuses a server started with the client's workspace variable (server_cli_utils.py).
  if (env.MLFLOW_WORKSPACE) {
    return {
      kind: "error",
      message: `MLFLOW_WORKSPACE=${env.MLFLOW_WORKSPACE} is client-only. Unset it before starting the server.`,
    };
  }
  const givenBackend = str("backend-store-uri", "MLFLOW_BACKEND_STORE_URI", "file:./mlruns/tracklite.db");
  const unserved = unservedStoreUri(givenBackend);
  if (unserved) return { kind: "error", message: unserved };
  const backendStoreUri = toLibsqlUrl(givenBackend);
  const enableWorkspaces = values["enable-workspaces"]
    ? true
    : values["disable-workspaces"]
      ? false
      : /^(true|1)$/i.test(env.MLFLOW_ENABLE_WORKSPACES ?? "");
  const workspaceStoreUri = (values["workspace-store-uri"] as string | undefined) ?? env.MLFLOW_WORKSPACE_STORE_URI;
  if (enableWorkspaces && workspaceStoreUri && toLibsqlUrl(workspaceStoreUri) !== backendStoreUri) {
    return {
      kind: "error",
      message: `tracklite keeps workspaces in the backend store; --workspace-store-uri must be left out or be ${redactUri(backendStoreUri)}, not ${redactUri(workspaceStoreUri)}`,
    };
  }
  const maxBody = str(
    "max-request-body-size",
    "TRACKLITE_MAX_REQUEST_BODY_SIZE",
    String(DEFAULT_MAX_REQUEST_BODY_SIZE),
  );
  if (!/^\s*\d+\s*$/.test(maxBody) || Number(maxBody) < 1)
    return { kind: "error", message: `Invalid request body size (want a number of bytes): ${maxBody}` };
  const synchronous = str("sqlite-synchronous", "TRACKLITE_SQLITE_SYNCHRONOUS", "normal").trim().toLowerCase();
  if (!(SYNCHRONOUS_LEVELS as readonly string[]).includes(synchronous))
    return {
      kind: "error",
      message: `Invalid value for '--sqlite-synchronous': '${synchronous}' is not one of ${SYNCHRONOUS_LEVELS.map((l) => `'${l}'`).join(", ")}.`,
    };
  const traceArchivalConfig =
    (values["trace-archival-config"] as string | undefined) ?? (env.MLFLOW_TRACE_ARCHIVAL_CONFIG || undefined);
  const rawBackend = str("backend-store-uri", "MLFLOW_BACKEND_STORE_URI", "file:./mlruns/tracklite.db");
  const artifactFlags = artifactOptions(values, env, backendStoreUri, rawBackend, traceArchivalConfig);
  if ("error" in artifactFlags) return { kind: "error", message: artifactFlags.error };
  // The rest of mlflow server's flags.
  const serverFlags = readServerFlags(values, env);
  if ("error" in serverFlags) return { kind: "error", message: serverFlags.error };
  // --read-replica-backend-store-uri (issue 16).
  const replica = readReplicaOption(values, env, backendStoreUri);
  if ("error" in replica) return { kind: "error", message: replica.error };
  return {
    kind: "server",
    options: {
      ...(traceArchivalConfig ? { traceArchivalConfig } : {}),
      ...(appName ? { appName } : {}),
      host: str("host", "MLFLOW_HOST", "127.0.0.1"),
      port,
      backendStoreUri,
      artifactsDestination,
      defaultArtifactRoot: str(
        "default-artifact-root",
        "MLFLOW_DEFAULT_ARTIFACT_ROOT",
        artifactFlags.serveArtifacts ? "mlflow-artifacts:/" : "./mlruns",
      ),
      // The flags win over MLflow's variables, which they name.
      security: securityOptionsFromEnv({
        ...env,
        MLFLOW_SERVER_ALLOWED_HOSTS: str("allowed-hosts", "MLFLOW_SERVER_ALLOWED_HOSTS", ""),
        MLFLOW_SERVER_CORS_ALLOWED_ORIGINS: str("cors-allowed-origins", "MLFLOW_SERVER_CORS_ALLOWED_ORIGINS", ""),
        MLFLOW_SERVER_X_FRAME_OPTIONS: str("x-frame-options", "MLFLOW_SERVER_X_FRAME_OPTIONS", ""),
        ...(values["disable-security-middleware"] ? { MLFLOW_SERVER_DISABLE_SECURITY_MIDDLEWARE: "true" } : {}),
      }),
      enableWorkspaces,
      maxRequestBodyBytes: Number(maxBody),
      synchronous: synchronous as Synchronous,
      ...artifactFlags,
      serverFlags,
      ...replica,
    },
  };
}

/** Click's boolean variables: 1/true/yes/y/on, or 0/false/no/n/off (anything else counts as unset here). */
function envFlag(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (/^(1|true|t|yes|y|on)$/i.test(value.trim())) return true;
  if (/^(0|false|f|no|n|off|)$/i.test(value.trim())) return false;
  return undefined;
}

/** The default backend stores (tracklite's, and the reference's two), the only ones `--artifacts-only` accepts. */
const DEFAULT_BACKENDS = new Set(["file:./mlruns/tracklite.db", "sqlite:///mlflow.db", "./mlruns"]);

/**
 * `--serve-artifacts/--no-serve-artifacts`, `--artifacts-only` and `--registry-store-uri`, checked as the reference
 * checks them (server_cli_utils.py `artifacts_only_config_validation`).
 */
function artifactOptions(
  values: Record<string, string | boolean | (string | boolean)[] | undefined>,
  env: Record<string, string | undefined>,
  backendStoreUri: string,
  /** As given, for the message. */
  rawBackend: string,
  traceArchivalConfig: string | undefined,
): { serveArtifacts: boolean; artifactsOnly: boolean } | { error: string } {
  const serveArtifacts = values["no-serve-artifacts"]
    ? false
    : values["serve-artifacts"]
      ? true
      : (envFlag(env.MLFLOW_SERVE_ARTIFACTS) ?? true);
  const artifactsOnly = values["artifacts-only"] ? true : (envFlag(env.MLFLOW_ARTIFACTS_ONLY) ?? false);
  const registry = (values["registry-store-uri"] as string | undefined) ?? (env.MLFLOW_REGISTRY_STORE_URI || undefined);
  if (registry !== undefined && toLibsqlUrl(registry) !== backendStoreUri)
    return {
      error: `tracklite keeps registered models in the backend store; --registry-store-uri must be left out or be ${redactUri(backendStoreUri)}, not ${redactUri(registry)}`,
    };
  if (artifactsOnly && !DEFAULT_BACKENDS.has(rawBackend))
    return {
      error: `You are starting a tracking server in \`--artifacts-only\` mode and have provided a value for \`--backend_store_uri\`: '${redactUri(rawBackend)}'. A tracking server in \`--artifacts-only\` mode cannot have a value set for \`--backend_store_uri\` to properly proxy access to the artifact storage location.`,
    };
  if (artifactsOnly && traceArchivalConfig !== undefined)
    return {
      error:
        "--trace-archival-config cannot be combined with --artifacts-only because artifact-only servers do not initialize the tracking store required for server-owned trace archival.",
    };
  return { serveArtifacts, artifactsOnly };
}

/** Whether an artifacts destination is an S3 bucket (`s3://bucket[/prefix]`) rather than a local folder. */
export function isS3Uri(destination: string): boolean {
  return /^s3:\/\/[^/?#]+(\/[^?#]*)?$/.test(destination);
}

/** MLflow's `file:///path` destinations as the local path they name; anything else as given. */
function localDestination(destination: string): string {
  return /^file:\/\//i.test(destination) ? fileURLToPath(destination) : destination;
}

/**
 * Why an artifacts destination is not served: tracklite stores artifacts in a local folder or on S3. MLflow's other
 * stores (`gs://`, `wasbs://`, `hdfs://`, `sftp://`…) would otherwise be made into a local folder named after them.
 */
function unservedDestination(destination: string): string | undefined {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(destination)?.[1]?.toLowerCase();
  if (scheme === undefined || scheme === "s3") return undefined;
  return `Invalid value for '--artifacts-destination': ${redactUri(destination)}: tracklite does not store artifacts on ${scheme}://. Use a local folder or s3://bucket/prefix (AWS S3 or an S3-compatible server).`;
}
