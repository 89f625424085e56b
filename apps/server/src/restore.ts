import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { copyFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { createClient } from "@libsql/client";
import { BACKUP_AUTH_DATABASE } from "./backup.js";
import { setJournalHeader } from "./backup-db-file.js";
import { copyFiles, listFiles, statSizeOf } from "./backup-files.js";
import { onInterrupt } from "./backup-interrupt.js";
import { type BackupManifest, readManifest } from "./backup-manifest.js";
import type { RestoreOptions } from "./backup-options.js";
import { formatBytes, type ProgressSink, startPhase } from "./backup-progress.js";
import { bundleDir } from "./bundle-dir.js";
import { databasePath } from "./database-file.js";
import { makeDirs } from "./make-dirs.js";
import { type DatabaseHold, holdDatabase } from "./restore-lock.js";
import { UsageError } from "./usage-error.js";

/**
 * `tracklite restore SRC`: a backup folder back into a database file and an artifacts folder. Everything is checked
 * and copied beside its target first (`*.restore-<time>.partial`); only then are the targets swapped by renames,
 * the database last, while a lock keeps servers off it. What was there is moved aside, never deleted.
 */

/** The migrations this build carries (beside the built CLI); undefined when run from sources. */
function knownMigrations(): number | undefined {
  try {
    const journal = readFileSync(new URL("drizzle/meta/_journal.json", bundleDir(import.meta.url)), "utf8");
    return (JSON.parse(journal) as { entries: unknown[] }).entries.length;
  } catch {
    return undefined;
  }
}

/**
 * Checks a staged copy of a backup's database: intact, and (for the tracking database) not from a tracklite newer
 * than this one. It is read in rollback-journal mode, where a read leaves no `-wal`/`-shm` behind, then marked WAL.
 */
async function checkStagedDatabase(path: string, manifest: BackupManifest, tracking: boolean): Promise<void> {
  setJournalHeader(path, "rollback");
  const client = createClient({ url: `file:${path}`, intMode: "number" });
  try {
    const check = (await client.execute("PRAGMA quick_check")).rows.map((r) => String(r[0]));
    if (check.join() !== "ok")
      throw new UsageError(`the backup is damaged: its database fails its check (${check[0]}).`);
    if (!tracking) return;
    const applied = Number((await client.execute("SELECT count(*) FROM __drizzle_migrations")).rows[0]?.[0] ?? 0);
    const known = knownMigrations();
    if (known !== undefined && applied > known)
      throw new UsageError(
        `the backup was made by a newer tracklite (${manifest.tracklite}: ${applied} database migrations, this one knows ${known}); restore it with that version.`,
      );
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`the backup is damaged: cannot read its database: ${(e as Error).message}`);
  } finally {
    client.close();
  }
  setJournalHeader(path, "wal");
}

/** Whether a database file (with its WAL) holds anything. */
const databaseHasData = (path: string) =>
  [path, `${path}-wal`].some((p) => existsSync(p) && statSync(p).isFile() && statSync(p).size > 0);

/** Whether a folder has anything in it (a file in its place counts as data). */
function folderHasData(path: string): boolean {
  if (!existsSync(path)) return false;
  if (!statSync(path).isDirectory()) return true;
  return readdirSync(path).length > 0;
}

/** Renames `path` (and, for a database, its -wal/-shm/-journal files) to `<path>.pre-restore-<stamp>`. */
function moveAside(path: string, stamp: string, database: boolean): string {
  const aside = `${path}.pre-restore-${stamp}`;
  for (const suffix of database ? ["", "-wal", "-shm", "-journal"] : [""])
    if (existsSync(`${path}${suffix}`)) renameSync(`${path}${suffix}`, `${aside}${suffix}`);
  return aside;
}

/** Copies one file to `target` with a progress phase. */
async function copyWithProgress(from: string, target: string, label: string, sink: ProgressSink): Promise<void> {
  if (!existsSync(from)) throw new UsageError(`the backup is damaged: ${from} is missing.`);
  const bytes = statSync(from).size;
  const phase = startPhase(sink, label, bytes, "bytes");
  const timer = setInterval(() => phase.update(statSizeOf(target) ?? 0), 100);
  try {
    await copyFile(from, target);
  } finally {
    clearInterval(timer);
  }
  phase.end(formatBytes(bytes));
}

/** Runs the restore; progress goes to `sink`, and the answer is the one-line summary for stdout. */
export async function runRestore(options: RestoreOptions, sink: ProgressSink): Promise<string> {
  const src = resolve(options.src);
  if (!existsSync(src)) throw new UsageError(`SRC ${src} does not exist.`);
  const manifest = readManifest(src);
  const backupDb = join(src, manifest.database.file);
  const backupArtifacts = "folder" in manifest.artifacts ? join(src, manifest.artifacts.folder) : undefined;
  const artifactList = backupArtifacts ? await listFiles(backupArtifacts) : undefined;
  if (artifactList && "files" in manifest.artifacts && artifactList.files.length !== manifest.artifacts.files)
    throw new UsageError(
      `the backup is damaged: ${backupArtifacts} holds ${artifactList.files.length} files, backup.json lists ${manifest.artifacts.files}.`,
    );

  const dbPath = resolve(databasePath(options.backendStoreUri) ?? "");
  for (const path of [dbPath, join(dirname(dbPath), BACKUP_AUTH_DATABASE)])
    if (existsSync(path) && statSync(path).isDirectory())
      throw new UsageError(`--backend-store-uri ${options.backendStoreUri}: ${path} is a folder, not a database file.`);
  const authPath = manifest.authDatabase ? join(dirname(dbPath), BACKUP_AUTH_DATABASE) : undefined;
  const toS3 = /^s3:\/\//i.test(options.artifactsDestination);
  const artifactsPath = toS3 ? undefined : resolve(options.artifactsDestination);
  const restoreArtifacts = backupArtifacts !== undefined && artifactsPath !== undefined;

  const occupied = [
    ...(databaseHasData(dbPath) ? [dbPath] : []),
    ...(authPath && databaseHasData(authPath) ? [authPath] : []),
    ...(restoreArtifacts && folderHasData(artifactsPath) ? [artifactsPath] : []),
  ];
  if (occupied.length > 0 && !options.force)
    throw new UsageError(
      `the store is not empty (${occupied.join(", ")}): restore into a new place, or give --force to move what is there aside (nothing is deleted).`,
    );
  // Servers are kept off the databases from here to the end (the locks go with this process): a server that has
  // one open makes the restore stop before anything is copied.
  const holds = new Map<string, DatabaseHold>();
  for (const path of [dbPath, authPath]) if (path && existsSync(path)) holds.set(path, await holdDatabase(path));

  const stamp = new Date()
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  const staged: string[] = [];
  const stage = (path: string) => {
    const partial = `${path}.restore-${stamp}.partial`;
    staged.push(partial);
    return partial;
  };
  const movedAside: string[] = [];
  const removeStaged = () => {
    for (const path of staged) rmSync(path, { recursive: true, force: true });
  };
  const stopWatching = onInterrupt(removeStaged);
  try {
    makeDirs(dirname(dbPath), `--backend-store-uri ${options.backendStoreUri}`);
    const dbStage = stage(dbPath);
    await copyWithProgress(backupDb, dbStage, "database", sink);
    await checkStagedDatabase(dbStage, manifest, true);
    const authStage = authPath ? stage(authPath) : undefined;
    if (authStage && manifest.authDatabase) {
      await copyWithProgress(join(src, manifest.authDatabase.file), authStage, "auth db", sink);
      await checkStagedDatabase(authStage, manifest, false);
    }
    let artifactsStage: string | undefined;
    if (restoreArtifacts && artifactList && backupArtifacts) {
      makeDirs(dirname(artifactsPath), `--artifacts-destination ${artifactsPath}`);
      artifactsStage = stage(artifactsPath);
      await copyFiles(artifactList, backupArtifacts, artifactsStage, sink);
    }

    // A database that appeared meanwhile (a server started on a new path) is held too, before anything is swapped.
    for (const path of [dbPath, authPath])
      if (path && !holds.has(path) && existsSync(path)) holds.set(path, await holdDatabase(path));
    // The swap: artifacts first, so that the restored database finds its files when it appears.
    if (artifactsStage && artifactsPath) {
      if (folderHasData(artifactsPath)) movedAside.push(moveAside(artifactsPath, stamp, false));
      else if (existsSync(artifactsPath)) rmSync(artifactsPath, { recursive: true });
      renameSync(artifactsStage, artifactsPath);
    }
    for (const [target, staging] of [
      [authPath, authStage],
      [dbPath, dbStage],
    ] as const) {
      if (!target || !staging) continue;
      if (databaseHasData(target)) movedAside.push(moveAside(target, stamp, true));
      else for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(`${target}${suffix}`, { force: true });
      renameSync(staging, target);
    }
  } catch (e) {
    removeStaged();
    throw e;
  } finally {
    stopWatching();
    for (const hold of holds.values()) hold.release();
  }

  if (toS3 && backupArtifacts)
    sink.write(
      `artifacts: not restored into ${options.artifactsDestination}: copy them with \`aws s3 sync ${backupArtifacts} ${options.artifactsDestination}\`.\n`,
    );
  if ("notCopied" in manifest.artifacts)
    sink.write(`artifacts: the backup holds none (they stayed in ${manifest.artifacts.notCopied}).\n`);
  const { experiments, runs } = manifest.database;
  const files =
    restoreArtifacts && "files" in manifest.artifacts ? ` and ${manifest.artifacts.files} artifact files` : "";
  const aside = movedAside.length > 0 ? ` What was there is now ${movedAside.join(", ")}.` : "";
  return `Restored the backup of ${manifest.createdAt} (${experiments} experiments, ${runs} runs${files}) into file:${dbPath}${restoreArtifacts ? ` and ${artifactsPath}` : ""}.${aside}`;
}
