import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { givenBackendStoreUri, oneArgument } from "./one-argument.js";
import { redactUri, toLibsqlUrl, unservedStoreUri } from "./store-uri.js";
import { unknownOptionMessage } from "./unknown-option.js";

/**
 * The command lines of `tracklite backup DEST` and `tracklite restore SRC`: the server's store flags, with its
 * defaults and MLflow's variables, so that the same environment that starts the server names what to copy.
 */

export interface BackupOptions {
  dest: string;
  /** A `file:` libSQL URL. */
  backendStoreUri: string;
  /** A local folder, or an `s3://` URI (whose files stay in the bucket). */
  artifactsDestination: string;
}

export interface RestoreOptions {
  src: string;
  backendStoreUri: string;
  artifactsDestination: string;
  /** Restore over a store that has data: what is there is moved aside, never deleted. */
  force: boolean;
}

export type BackupCommand =
  | { kind: "backup"; options: BackupOptions }
  | { kind: "restore"; options: RestoreOptions }
  /** A command's own `--help`, on stdout. */
  | { kind: "text"; text: string }
  | { kind: "error"; message: string };

const STORE_FLAGS = `  --backend-store-uri URI          [MLFLOW_BACKEND_STORE_URI]      default file:./mlruns/tracklite.db
                                     a database file (a path, file:PATH, sqlite:///PATH)
  --artifacts-destination DEST     [MLFLOW_ARTIFACTS_DESTINATION]  default ./mlruns/artifacts
                                     a local folder (s3:// artifacts stay in their bucket)`;

export const BACKUP_HELP = `Usage: tracklite backup DEST [options]

  Copies the tracking database (a consistent snapshot, taken with VACUUM INTO while a server keeps serving), the
  basic-auth database beside it if there is one, and the local artifacts into the new or empty folder DEST, with
  backup.json, written last, describing them. Progress goes to stderr.

  A libSQL server (sqld, Turso) is backed up with its own tools: sqld's bottomless replication to S3, Turso's
  point-in-time restore. See README "Backup and restore".

Options:
${STORE_FLAGS}
  -h, --help                       Show this help.
`;

export const RESTORE_HELP = `Usage: tracklite restore SRC [options]

  Restores the backup folder SRC (made by \`tracklite backup\`) into the database file and artifacts folder named
  below, after checking the copy. Refuses a store that already has data unless --force is given, and refuses
  always while a server has the database open: stop it first.

Options:
${STORE_FLAGS}
  --force                          Restore over existing data: the current database and artifacts folder are
                                     moved aside (renamed *.pre-restore-<time>), never deleted.
  -h, --help                       Show this help.
`;

const FLAGS = {
  "backend-store-uri": { type: "string" },
  "artifacts-destination": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** What to say for a libSQL server's store: its own backup is the way. */
export function remoteStoreMessage(command: "backup" | "restore", uri: string): string {
  const what = `--backend-store-uri ${redactUri(uri)} is a libSQL server, and tracklite ${command} copies a database file`;
  return command === "backup"
    ? `${what}. Back it up with the server's own tools: sqld's bottomless replication to S3 (SQLD_ENABLE_BOTTOMLESS_REPLICATION=true, LIBSQL_BOTTOMLESS_BUCKET=…), or on Turso its point-in-time restore (turso db create NEW --from-db DB --timestamp …) or turso db export DB. See README "Backup and restore".`
    : `${what}. Load a backup into Turso with \`turso db import SRC/tracklite.db\`; sqld restores from its bottomless backup in S3 when it starts on an empty folder. See README "Backup and restore".`;
}

/** `file:///path` destinations as the path they name, as the server reads them. */
const localDestination = (destination: string) =>
  /^file:\/\//i.test(destination) ? fileURLToPath(destination) : destination;

/** Parses `tracklite backup …` or `tracklite restore …` (`args` after the command's name). */
export function parseBackupCommand(
  command: "backup" | "restore",
  args: string[],
  env: Record<string, string | undefined>,
): BackupCommand {
  const options = command === "restore" ? { ...FLAGS, force: { type: "boolean" } as const } : FLAGS;
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args, allowPositionals: true, options }) as {
      values: Record<string, string | boolean | undefined>;
      positionals: string[];
    });
  } catch (e) {
    const message = unknownOptionMessage(e, Object.keys(options)).replace(
      "`tracklite --help` lists the options.",
      `\`tracklite ${command} --help\` lists the options.`,
    );
    return { kind: "error", message };
  }
  if (values.help) return { kind: "text", text: command === "backup" ? BACKUP_HELP : RESTORE_HELP };
  const argument = oneArgument(positionals, command === "backup" ? "DEST" : "SRC", command);
  if ("error" in argument) return { kind: "error", message: argument.error };
  const place = argument.value;
  const flag = (name: string) => (typeof values[name] === "string" ? (values[name] as string) : undefined);
  const givenBackend = givenBackendStoreUri(flag("backend-store-uri"), env);
  const unserved = unservedStoreUri(givenBackend);
  if (unserved) return { kind: "error", message: unserved };
  const backendStoreUri = toLibsqlUrl(givenBackend);
  if (!backendStoreUri.startsWith("file:"))
    return { kind: "error", message: remoteStoreMessage(command, givenBackend) };
  if (backendStoreUri === "file::memory:" || backendStoreUri === "file::memory")
    return { kind: "error", message: "--backend-store-uri :memory: is not a database file." };
  const artifactsDestination = localDestination(
    flag("artifacts-destination") ?? env.MLFLOW_ARTIFACTS_DESTINATION ?? "./mlruns/artifacts",
  );
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(artifactsDestination)?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme !== "s3")
    return {
      kind: "error",
      message: `Invalid value for '--artifacts-destination': ${redactUri(artifactsDestination)}: tracklite keeps artifacts in a local folder or on s3://.`,
    };
  return command === "backup"
    ? { kind: "backup", options: { dest: place, backendStoreUri, artifactsDestination } }
    : {
        kind: "restore",
        options: { src: place, backendStoreUri, artifactsDestination, force: values.force === true },
      };
}
