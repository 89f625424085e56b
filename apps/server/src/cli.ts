#!/usr/bin/env node
import { lookup } from "node:dns/promises";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { serve } from "@hono/node-server";
import { getConnInfo } from "@hono/node-server/conninfo";
import {
  type ArtifactStore,
  AuthConfigError,
  AuthService,
  createApp,
  GraphqlOptionsError,
  graphqlOptionsFromEnv,
  MlflowError,
  modelVersionSourceRegexFromEnv,
  parseTraceArchivalConfig,
  readAuthConfig,
  type TraceArchivalConfig,
  webhookOptionsFromEnv,
} from "@tracklite/server";
import { createArtifactRootOpener } from "@tracklite/server/artifact-roots";
import { createLocalArtifactStore, removeStaleUploads } from "@tracklite/server/local-artifacts";
import { databasePath } from "./database-file.js";
import { DB_HELP } from "./db-upgrade-command.js";
import { seedFreshDatabase } from "./fresh-database.js";
import { tuneHeapForServer } from "./heap-tuning.js";
import { makeDirs, makeWritableDir } from "./make-dirs.js";
import { checkBackendStore, openStore } from "./open-store.js";
import { HELP, isS3Uri, parseCommand, type ServerOptions } from "./options.js";
import { checkPortFree, listenError } from "./port-check.js";
import type { PrometheusMetrics } from "./prometheus.js";
import { checkReadReplicaFile } from "./read-replica-options.js";
import { GracefulShutdown, graceMsFromEnv, resumeIntervalMsFromEnv } from "./shutdown.js";
import { guardStdio } from "./stdio-guard.js";
import { redactUri } from "./store-uri.js";
import { mountUi, uiDir } from "./ui.js";
import { UsageError } from "./usage-error.js";
import { versionLine } from "./version.js";

/** The MLflow version whose REST API tracklite serves, reported by /version. */
const MLFLOW_API_VERSION = "3.17.2";

const BUNDLED_MIGRATIONS = fileURLToPath(new URL("./drizzle", import.meta.url));
const BUNDLED_AUTH_MIGRATIONS = fileURLToPath(new URL("./drizzle-auth", import.meta.url));

/**
 * The basic-auth app's state for `--app-name basic-auth`: settings from MLFLOW_AUTH_CONFIG_PATH and the
 * MLFLOW_AUTH_ADMIN_* variables; the auth database defaults to basic_auth.db beside a file tracking database.
 */
async function openAuth(options: ServerOptions): Promise<AuthService> {
  const path = process.env.MLFLOW_AUTH_CONFIG_PATH;
  if (path && !existsSync(path)) throw new AuthConfigError(`MLFLOW_AUTH_CONFIG_PATH names a missing file: ${path}`);
  const backend = options.backendStoreUri;
  const config = readAuthConfig({
    env: process.env,
    ...(path ? { iniText: readFileSync(path, "utf8") } : {}),
    defaultDatabaseUri: backend.startsWith("file:")
      ? `file:${join(dirname(backend.slice("file:".length)), "basic_auth.db")}`
      : "file:./mlruns/basic_auth.db",
  });
  if (config.databaseUri.startsWith("file:")) makeDirs(dirname(config.databaseUri.slice(5)), "the auth database");
  const authToken = process.env.LIBSQL_AUTH_TOKEN ?? process.env.TURSO_AUTH_TOKEN;
  return AuthService.open({
    config,
    ...(authToken && !config.databaseUri.startsWith("file:") ? { authToken } : {}),
    ...(existsSync(BUNDLED_AUTH_MIGRATIONS) ? { migrationsFolder: BUNDLED_AUTH_MIGRATIONS } : {}),
    synchronous: options.synchronous,
    clientAddress: (c) => getConnInfo(c).remote.address,
  });
}

/** An S3 bucket for `s3://` destinations (the AWS SDK is loaded only then), else a local folder. */
async function openArtifactStore(destination: string): Promise<ArtifactStore> {
  if (!isS3Uri(destination)) {
    makeWritableDir(destination, `--artifacts-destination ${destination}`);
    // Uploads a crash cut short leave temporary files; clear them in the background (a large root takes a while).
    removeStaleUploads(destination).then(
      (n) => n > 0 && console.log(`Removed ${n} unfinished upload(s) left in ${destination}`),
      (err: unknown) => console.error("Could not clear unfinished uploads:", err),
    );
    return createLocalArtifactStore(destination);
  }
  const { createS3ArtifactStore, s3OptionsFromUri } = await import("@tracklite/server/s3-artifacts");
  const { ignoreTls, ...options } = s3OptionsFromUri(destination, process.env);
  // MLFLOW_S3_IGNORE_TLS: the runtime-agnostic store cannot reach Node's TLS settings; the Node entry can.
  if (ignoreTls) {
    const { Agent } = await import("node:https");
    options.requestHandler = { httpsAgent: new Agent({ rejectUnauthorized: false }) };
  }
  return createS3ArtifactStore(options);
}

/** The reference's start-up words about its security settings, on stderr. */
function warnAboutSecurity({ security }: ServerOptions): void {
  if (security.disabled) {
    console.error(
      "[tracklite] WARNING: Security middleware is DISABLED. Your server is vulnerable to cross-site requests and DNS rebinding.",
    );
    return;
  }
  if (security.allowedHosts?.includes("*"))
    console.error("WARNING: Accepting ALL hosts. This may leave the server vulnerable to DNS rebinding attacks.");
  if (security.corsAllowedOrigins?.includes("*"))
    console.error(
      "WARNING: Allowing ALL origins for CORS. This allows ANY website to access your MLflow data. This configuration is only recommended for local development.",
    );
}

/**
 * The trace archival settings of `--trace-archival-config`, checked before the server starts as the reference checks
 * them (a missing file or a bad setting stops it with a usage error).
 */
async function readTraceArchivalConfig(path: string | undefined): Promise<TraceArchivalConfig | undefined> {
  if (path === undefined) return undefined;
  if (!existsSync(path))
    throw new UsageError(`Invalid value for '--trace-archival-config': File '${path}' does not exist.`);
  try {
    return await parseTraceArchivalConfig(readFileSync(path, "utf8"), path);
  } catch (e) {
    if (e instanceof MlflowError) throw new UsageError(e.message);
    throw e;
  }
}

/** `/graphql`'s limits and checks from MLFLOW_SERVER_GRAPHQL_* (graphql area); a bad value stops the start. */
function graphqlOptions() {
  try {
    return graphqlOptionsFromEnv(process.env);
  } catch (e) {
    if (e instanceof GraphqlOptionsError) throw new UsageError(e.message);
    throw e;
  }
}

/**
 * A local `--default-artifact-root` made absolute, as the reference stores it in new experiments (so that clients
 * elsewhere find the folder); URIs are kept.
 */
const absoluteRoot = (root: string) => (/^[a-z][a-z0-9+.-]*:/i.test(root) ? root : resolve(root));

/** MLFLOW_PRESIGNED_DOWNLOAD_URL_TTL_SECONDS, the lifetime of presigned download URLs (default 300 s). */
function presignedDownloadTtl(env: NodeJS.ProcessEnv): number {
  const raw = env.MLFLOW_PRESIGNED_DOWNLOAD_URL_TTL_SECONDS;
  if (raw === undefined || raw === "") return 300;
  const ttl = Number(raw);
  if (!Number.isInteger(ttl))
    throw new UsageError(`MLFLOW_PRESIGNED_DOWNLOAD_URL_TTL_SECONDS is not an integer: ${raw}`);
  return ttl;
}

/**
 * `--expose-prometheus DIR`: the reference keeps its multiprocess metric files in DIR and creates it; tracklite is one
 * process and keeps its metrics in memory, but creates DIR all the same, so a deployment that expects it finds it.
 */
async function openPrometheus(options: ServerOptions): Promise<PrometheusMetrics | undefined> {
  const dir = options.serverFlags?.exposePrometheus;
  if (!dir) return undefined;
  makeDirs(dir, `--expose-prometheus ${dir}`);
  const backend = options.backendStoreUri;
  // prom-client (and its default collectors) loads only for this flag: it is a tenth of a plain start's module time.
  const { createPrometheusMetrics } = await import("./prometheus.js");
  return createPrometheusMetrics({
    mlflowVersion: MLFLOW_API_VERSION,
    ...(backend.startsWith("file:") ? { databaseFile: backend.slice("file:".length) } : {}),
  });
}

/** TRACKLITE_GRACEFUL_TIMEOUT and _WEBHOOK_RESUME_INTERVAL, checked before the start (a bad value is a usage error). */
function readShutdownEnv(env: NodeJS.ProcessEnv) {
  try {
    return { graceMs: graceMsFromEnv(env), webhookResumeIntervalMs: resumeIntervalMsFromEnv(env) };
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

async function runServer(options: ServerOptions): Promise<void> {
  tuneHeapForServer();
  warnAboutSecurity(options);
  for (const notice of options.serverFlags?.notices ?? []) console.error(notice);
  // Before anything is created: a second `npm start` leaves no trace but one line.
  await checkPortFree(options.host, options.port);
  const { graceMs, webhookResumeIntervalMs } = readShutdownEnv(process.env);
  const prometheus = await openPrometheus(options);
  const traceArchival = await readTraceArchivalConfig(options.traceArchivalConfig);
  // --artifacts-only opens no backend store, as the reference; the app still needs one, kept in memory.
  if (options.artifactsOnly) options.backendStoreUri = ":memory:";
  await checkBackendStore(options.backendStoreUri);
  if (options.readReplica) checkReadReplicaFile(options.readReplica.url);
  const artifacts = await openArtifactStore(options.artifactsDestination);
  // Just before the store opens (a start that fails earlier leaves no file behind): a new plain file store starts as
  // a copy of the migrated template (not a replica's file, not a URL with options).
  const dbPath = databasePath(options.backendStoreUri);
  if (dbPath && dbPath !== ":memory:" && !options.readReplica && !options.backendStoreUri.includes("?"))
    seedFreshDatabase(dbPath);
  const authToken = process.env.LIBSQL_AUTH_TOKEN ?? process.env.TURSO_AUTH_TOKEN;
  const store = await openStore(options.backendStoreUri, {
    url: options.backendStoreUri,
    synchronous: options.synchronous,
    defaultArtifactRoot: absoluteRoot(options.defaultArtifactRoot),
    workingDirectory: process.cwd(),
    enableWorkspaces: options.enableWorkspaces,
    ...(authToken ? { authToken } : {}),
    ...(traceArchival ? { traceArchival: { config: traceArchival, env: process.env } } : {}),
    // MLflow's MLFLOW_WEBHOOK_* variables; the host check resolves names as the reference does (getaddrinfo).
    webhooks: {
      ...webhookOptionsFromEnv(process.env),
      resolveHost: async (host) => (await lookup(host, { all: true })).map((a) => a.address),
    },
    // MLflow's create-model-version source check, a Python regex from the environment.
    ...modelVersionSourceRegexFromEnv(process.env),
    // The built CLI carries the migrations beside it (see build.mjs); from source, the store finds its own.
    ...(existsSync(BUNDLED_MIGRATIONS) ? { migrationsFolder: BUNDLED_MIGRATIONS } : {}),
    ...(prometheus ? { observer: prometheus.metrics.observer } : {}),
    ...(options.readReplica ? { readReplica: options.readReplica } : {}),
    webhookResumeIntervalMs,
  });
  prometheus?.watch(store);
  const auth = options.appName === "basic-auth" ? await openAuth(options) : undefined;
  const app = createApp({
    store,
    artifacts,
    config: {
      mlflowVersion: MLFLOW_API_VERSION,
      security: options.security,
      maxRequestBodyBytes: options.maxRequestBodyBytes,
      graphql: graphqlOptions(),
      serveArtifacts: options.serveArtifacts,
      artifactsOnly: options.artifactsOnly,
      presignedDownloadTtlSeconds: presignedDownloadTtl(process.env),
      ...(options.serverFlags?.staticPrefix ? { staticPrefix: options.serverFlags.staticPrefix } : {}),
      // MLflow's switch for `@scorer` functions (tracklite stores them, never runs them).
      allowCustomScorers: /^(true|1)$/i.test(process.env.MLFLOW_SERVER_ENABLE_CUSTOM_SCORERS ?? ""),
    },
    ...(auth ? { auth } : {}),
    // Runs whose artifact location is a local folder or a bucket (not the proxy) are read from there.
    artifactRoots: createArtifactRootOpener({ openS3: (uri) => openArtifactStore(uri) }),
    ...(prometheus ? { metrics: prometheus.metrics } : {}),
  });
  mountUi(app, uiDir(process.env));
  const shutdown = new GracefulShutdown({
    graceMs,
    ...(options.serverFlags?.staticPrefix ? { staticPrefix: options.serverFlags.staticPrefix } : {}),
    finish: async (deadline) => {
      await store.drainWrites();
      // Deliveries under way may finish within what is left of the grace period; the rest are kept for a replica.
      const { kept } = await store.webhookDelivery.shutdown(deadline);
      if (kept > 0) console.log(`Kept ${kept} unsent webhook deliveries in the database for the next server to send.`);
      await store.drainWrites();
      store.close();
      auth?.close();
    },
  });
  const server = serve({ fetch: shutdown.wrap(app.fetch), hostname: options.host, port: options.port }, (info) => {
    console.log(
      `tracklite listening on http://${options.host}:${info.port}${options.serverFlags?.staticPrefix ?? ""} (store ${redactUri(options.backendStoreUri)}${options.enableWorkspaces ? ", workspaces on" : ""})`,
    );
  });
  server.on("error", (e) => {
    const usage = listenError(e, options.host, options.port);
    process.stderr.write(`Error: ${usage?.message ?? (e as Error).message}\n`);
    process.exit(usage ? 2 : 1);
  });
  shutdown.attach(server);
}

// The other commands' modules (db upgrade, backup, restore, import) load only when run: a server start compiles none.
const command = parseCommand(process.argv.slice(2), process.env);
if (command.kind === "help") {
  process.stdout.write(HELP);
} else if (command.kind === "version") {
  process.stdout.write(`${versionLine(MLFLOW_API_VERSION)}\n`);
} else if (command.kind === "db-help") {
  process.stdout.write(DB_HELP);
} else if (command.kind === "db-upgrade") {
  // worker area: `tracklite db upgrade URL`, one line on success or failure.
  import("./db-upgrade.js")
    .then(({ runDbUpgrade }) => runDbUpgrade(command.url, process.env))
    .then(
      (line) => process.stdout.write(`${line}\n`),
      (err: unknown) => {
        process.stderr.write(`Error: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exit(err instanceof UsageError ? 2 : 1);
      },
    );
} else if (command.kind === "error") {
  // One line, as click's "Error: …" (without its usage lines: the message says what to do).
  process.stderr.write(`${command.message.startsWith("Error: ") ? "" : "Error: "}${command.message}\n`);
  process.exit(2);
} else if (command.kind === "text") {
  process.stdout.write(command.text);
} else if (command.kind === "backup" || command.kind === "restore") {
  // backup (issue 16).
  guardStdio();
  import("./backup-command.js")
    .then(({ runBackupCommand }) => runBackupCommand(command, MLFLOW_API_VERSION))
    .then((status) => process.exit(status));
} else if (command.kind === "import") {
  // import (issue 17).
  guardStdio();
  import("./import/run-command.js")
    .then(({ runImportCommand }) =>
      runImportCommand(command.options, { env: process.env, stdout: process.stdout, stderr: process.stderr }),
    )
    .then((status) => process.exit(status));
} else {
  guardStdio();
  runServer(command.options).catch((err: unknown) => {
    // A setting the server cannot run with is one line, not a stack trace.
    if (err instanceof AuthConfigError) process.stderr.write(`${err.message}\n`);
    else if (err instanceof UsageError) {
      process.stderr.write(`Error: ${err.message}\n`);
      process.exit(2);
    } else console.error(err);
    process.exit(1);
  });
}
