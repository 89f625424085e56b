import { existsSync, readdirSync, rmSync, statSync } from "node:fs";
import { basename, dirname, join, resolve, sep } from "node:path";
import { type Client, createClient } from "@libsql/client";
import { setJournalHeader } from "./backup-db-file.js";
import { copyFiles, listFiles, statSizeOf } from "./backup-files.js";
import { onInterrupt } from "./backup-interrupt.js";
import { type BackupManifest, FORMAT, writeManifest } from "./backup-manifest.js";
import type { BackupOptions } from "./backup-options.js";
import { formatBytes, type ProgressSink, startPhase } from "./backup-progress.js";
import { vacuumIntoOnWorker } from "./backup-vacuum.js";
import { databasePath } from "./database-file.js";
import { describeFsError, makeDirs } from "./make-dirs.js";
import { redactUri } from "./store-uri.js";
import { UsageError } from "./usage-error.js";

/**
 * `tracklite backup DEST`: a consistent copy of a `file:` store while a server keeps serving it.
 *
 * The database is copied with SQLite's `VACUUM INTO`, which reads one snapshot inside a read transaction: on a WAL
 * database (the server opens every file in WAL mode) writers go on meanwhile, and the copy holds exactly the
 * transactions committed before it began. The artifacts are copied after it, so every artifact the copied database
 * can point to was already uploaded (the artifacts may hold a few newer files, which nothing references yet).
 */

/** The file names inside a backup folder. */
export const BACKUP_DATABASE = "tracklite.db";
export const BACKUP_AUTH_DATABASE = "basic_auth.db";
export const BACKUP_ARTIFACTS = "artifacts";

/** How often the copy's size is read for the progress bar while VACUUM INTO runs. */
const POLL_MS = 100;

/** Opens a database file for reading, waiting (not failing) while a writer holds a lock. */
function openFile(path: string): Client {
  return createClient({ url: `file:${path}`, intMode: "number", timeout: 10_000 });
}

const count = async (client: Client, sql: string) => Number((await client.execute(sql)).rows[0]?.[0] ?? 0);

/** Checks that `path` is a tracklite database and answers its size in pages, as VACUUM INTO will write it. */
async function inspectSource(client: Client, path: string, what: string): Promise<number> {
  let tables: string[];
  try {
    tables = (await client.execute("SELECT name FROM sqlite_master WHERE type = 'table'")).rows.map((r) =>
      String(r.name),
    );
  } catch (e) {
    const code = (e as { code?: string }).code ?? "";
    if (/NOTADB/.test(code)) throw new UsageError(`${what}: ${path} is not an SQLite database.`);
    throw new UsageError(`${what}: cannot read ${path}: ${(e as Error).message}`);
  }
  if (!tables.includes("__drizzle_migrations") || !tables.includes("runs"))
    throw new UsageError(`${what}: ${path} is not a tracklite database (no tracklite tables in it).`);
  const pages = (await count(client, "PRAGMA page_count")) - (await count(client, "PRAGMA freelist_count"));
  return pages * (await count(client, "PRAGMA page_size"));
}

/**
 * `VACUUM INTO target`, with a progress phase fed by the size of the file being written. The copy is then checked
 * (`PRAGMA quick_check`); `onCopy` reads what it needs from it, and it is marked WAL, as the server and `turso db
 * import` want it.
 */
async function vacuumInto(
  source: Client,
  sourcePath: string,
  target: string,
  estimate: number,
  label: string,
  sink: ProgressSink,
  onCopy: (copy: Client) => Promise<void> = async () => {},
) {
  const phase = startPhase(sink, label, estimate, "bytes");
  const timer = setInterval(() => phase.update(statSizeOf(target) ?? 0), POLL_MS);
  try {
    if (!(await vacuumIntoOnWorker(sourcePath, target))) await source.execute({ sql: "VACUUM INTO ?", args: [target] });
  } finally {
    clearInterval(timer);
  }
  const copy = openFile(target);
  try {
    const check = (await copy.execute("PRAGMA quick_check")).rows.map((r) => String(r[0]));
    if (check.join() !== "ok") throw new Error(`the copy of the database failed its check: ${check.join("; ")}`);
    await onCopy(copy);
  } finally {
    copy.close();
  }
  setJournalHeader(target, "wal");
  const bytes = statSync(target).size;
  phase.end(formatBytes(bytes));
  return bytes;
}

/** Makes DEST, which must be new or an empty folder; answers whether it was made here (and so may be removed). */
function prepareDest(dest: string): boolean {
  if (!existsSync(dest)) {
    makeDirs(dest, `backup destination ${dest}`);
    return true;
  }
  if (!statSync(dest).isDirectory()) throw new UsageError(`backup destination ${dest} is a file, not a folder.`);
  if (readdirSync(dest).length > 0)
    throw new UsageError(`backup destination ${dest} is not empty: give a new or empty folder.`);
  return false;
}

/** Runs the backup; progress goes to `sink`, and the answer is the one-line summary for stdout. */
export async function runBackup(options: BackupOptions, sink: ProgressSink, version: string): Promise<string> {
  const started = Date.now();
  const what = `--backend-store-uri ${redactUri(options.backendStoreUri)}`;
  const dbPath = databasePath(options.backendStoreUri) ?? "";
  if (!existsSync(dbPath) || statSync(dbPath).size === 0)
    throw new UsageError(`${what}: there is no database at ${resolve(dbPath)}, nothing to back up.`);
  if (statSync(dbPath).isDirectory()) throw new UsageError(`${what}: ${dbPath} is a folder, not a database file.`);
  const dest = resolve(options.dest);
  const artifactsRoot = /^s3:\/\//i.test(options.artifactsDestination)
    ? undefined
    : resolve(options.artifactsDestination);
  // A backup inside the folder it copies would copy itself the next time.
  if (artifactsRoot && (dest === artifactsRoot || dest.startsWith(`${artifactsRoot}${sep}`)))
    throw new UsageError(
      `backup destination ${dest} is inside --artifacts-destination ${artifactsRoot}: put backups elsewhere.`,
    );
  const source = openFile(dbPath);
  /** Set once DEST is ours to write: removes what a backup that did not finish left there. */
  let cleanup: (() => void) | undefined;
  const stopWatching = onInterrupt(() => cleanup?.());
  try {
    const estimate = await inspectSource(source, dbPath, what);
    cleanup = prepareDest(dest)
      ? () => rmSync(dest, { recursive: true, force: true })
      : () => {
          for (const name of readdirSync(dest)) rmSync(join(dest, name), { recursive: true, force: true });
        };
    const counts = { migrations: 0, experiments: 0, runs: 0 };
    const dbBytes = await vacuumInto(
      source,
      dbPath,
      join(dest, BACKUP_DATABASE),
      estimate,
      "database",
      sink,
      async (copy) => {
        counts.migrations = await count(copy, "SELECT count(*) FROM __drizzle_migrations");
        counts.experiments = await count(copy, "SELECT count(*) FROM experiments");
        counts.runs = await count(copy, "SELECT count(*) FROM runs");
      },
    );
    const database = {
      file: BACKUP_DATABASE,
      bytes: dbBytes,
      ...counts,
      source: redactUri(options.backendStoreUri),
    };
    // The basic-auth database's default place is beside the tracking database (see the server's openAuth).
    let authDatabase: BackupManifest["authDatabase"] = null;
    const authPath = join(dirname(dbPath), BACKUP_AUTH_DATABASE);
    if (basename(dbPath) !== BACKUP_AUTH_DATABASE && existsSync(authPath) && statSync(authPath).size > 0) {
      const auth = openFile(authPath);
      try {
        const estimateAuth =
          ((await count(auth, "PRAGMA page_count")) - (await count(auth, "PRAGMA freelist_count"))) *
          (await count(auth, "PRAGMA page_size"));
        const bytes = await vacuumInto(auth, authPath, join(dest, BACKUP_AUTH_DATABASE), estimateAuth, "auth db", sink);
        authDatabase = { file: BACKUP_AUTH_DATABASE, bytes };
      } finally {
        auth.close();
      }
    }
    let artifacts: BackupManifest["artifacts"];
    if (/^s3:\/\//i.test(options.artifactsDestination)) {
      sink.write(
        `artifacts: not copied: ${options.artifactsDestination} stays in its bucket (keep it with the bucket's versioning or replication).\n`,
      );
      artifacts = { notCopied: options.artifactsDestination };
    } else {
      const from = resolve(options.artifactsDestination);
      const list = await listFiles(from);
      for (const path of list.skipped) sink.write(`artifacts: skipped ${path} (not a regular file)\n`);
      const copied = await copyFiles(list, from, join(dest, BACKUP_ARTIFACTS), sink);
      artifacts = { folder: BACKUP_ARTIFACTS, ...copied, source: from };
    }
    writeManifest(dest, {
      format: FORMAT,
      version: 1,
      createdAt: new Date(started).toISOString(),
      tracklite: version,
      database,
      authDatabase,
      artifacts,
    });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const files =
      "files" in artifacts ? ` and ${artifacts.files} artifact files (${formatBytes(artifacts.bytes)})` : "";
    return `Backed up ${database.experiments} experiments, ${database.runs} runs (${formatBytes(dbBytes)})${files} to ${dest} in ${seconds} s.`;
  } catch (e) {
    // A backup that did not finish is removed, so that no half copy is taken for one.
    cleanup?.();
    if (e instanceof UsageError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    // A full disk or a lost mount on the way: one line (exit status 1), not a stack.
    if (typeof code === "string" && /^E[A-Z]+$/.test(code))
      throw new Error(`cannot write ${dest}: ${describeFsError(e)}.`);
    throw e;
  } finally {
    stopWatching();
    source.close();
  }
}
