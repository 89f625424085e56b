import { existsSync, statSync } from "node:fs";
import { DEFAULT_SYNC_INTERVAL_SECONDS, type ReadReplicaOptions } from "@tracklite/server";
import { databasePath, prepareDatabaseFile } from "./database-file.js";
import { redactUri, toLibsqlUrl, unservedStoreUri } from "./store-uri.js";
import { UsageError } from "./usage-error.js";

/**
 * `--read-replica-backend-store-uri` (MLFLOW_READ_REPLICA_BACKEND_STORE_URI), as tracklite serves it: the primary
 * (`--backend-store-uri`) is a libSQL server and the replica a local file that libSQL keeps in sync with it (an
 * embedded replica). The reference takes any SQLAlchemy URI of a database replica; the libSQL equivalent of a
 * server-side replica (`sqld --primary-grpc-url`) is refused, because the embedded one is faster (reads never leave
 * the process) and gives a client read-your-writes through this server.
 * @see mlflow/cli/__init__.py `--read-replica-backend-store-uri`
 */

const FLAG = "--read-replica-backend-store-uri";

/** TRACKLITE_READ_REPLICA_SYNC_INTERVAL: seconds between pulls from the primary (MLflow has no such setting). */
const SYNC_ENV = "TRACKLITE_READ_REPLICA_SYNC_INTERVAL";

/**
 * The read replica of `values`/`env` for the primary `backendStoreUri` (a libSQL URL), undefined when none is asked
 * for, or a one-line error.
 */
export function readReplicaOption(
  values: Record<string, unknown>,
  env: Record<string, string | undefined>,
  backendStoreUri: string,
): { readReplica?: ReadReplicaOptions } | { error: string } {
  const given =
    (values["read-replica-backend-store-uri"] as string | undefined) ??
    (env.MLFLOW_READ_REPLICA_BACKEND_STORE_URI || undefined);
  if (given === undefined) return {};
  const unserved = unservedStoreUri(given, FLAG);
  if (unserved) return { error: unserved };
  const url = toLibsqlUrl(given);
  if (!url.startsWith("file:"))
    return {
      error: `Invalid value for '${FLAG}': ${redactUri(given)}: tracklite's read replica is a local file that libSQL keeps in sync with the primary (an embedded replica); give file:PATH or sqlite:///PATH. A libSQL server replica (sqld --primary-grpc-url) is not served as a read replica.`,
    };
  if (databasePath(url) === ":memory:" || url.includes("mode=memory"))
    return { error: `Invalid value for '${FLAG}': ${given}: the read replica is a file; :memory: cannot be synced.` };
  if (backendStoreUri.startsWith("file:"))
    return {
      error: `${FLAG} needs a libSQL server as --backend-store-uri (libsql://, http(s)://, ws(s)://) to copy from; ${redactUri(backendStoreUri)} is a local file, read locally already.`,
    };
  const rawInterval = env[SYNC_ENV];
  const syncIntervalSeconds =
    rawInterval === undefined || rawInterval === "" ? DEFAULT_SYNC_INTERVAL_SECONDS : Number(rawInterval);
  if (!Number.isFinite(syncIntervalSeconds) || syncIntervalSeconds <= 0)
    return { error: `Invalid ${SYNC_ENV} (want a number of seconds above 0): ${rawInterval}` };
  return { readReplica: { url, syncIntervalSeconds } };
}

/**
 * Checks the replica file before libSQL opens it: its folder can be made and the file written, and an existing file
 * is a replica (libSQL keeps its sync state in `PATH-client_wal_index`; on any other database it fails with "Can not sync a
 * database without a wal_index").
 */
export function checkReadReplicaFile(url: string): void {
  const path = databasePath(url) as string;
  const what = `${FLAG} ${url}`;
  prepareDatabaseFile(path, what);
  if (existsSync(path) && statSync(path).size > 0 && !existsSync(`${path}-client_wal_index`))
    throw new UsageError(
      `${what}: ${path} is a database but not a read replica (no ${path}-client_wal_index beside it). Give a new path (the replica is copied from the primary) or remove the file.`,
    );
}
