import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "./usage-error.js";

/**
 * `backup.json`, written last into a backup folder: its presence says the backup is complete, and `tracklite
 * restore` reads from it what the folder holds and checks the copy against it before touching anything.
 */
export interface BackupManifest {
  format: typeof FORMAT;
  version: 1;
  createdAt: string;
  /** The tracklite version that wrote it. */
  tracklite: string;
  database: {
    file: string;
    bytes: number;
    /** drizzle migrations applied in the copy: a newer tracklite's backup has more than this one knows. */
    migrations: number;
    experiments: number;
    runs: number;
    /** The store it was copied from (credentials masked). */
    source: string;
  };
  /** The basic-auth database found beside the tracking database, if any. */
  authDatabase: { file: string; bytes: number } | null;
  /** The local artifacts, or why there are none: an s3:// destination stays in its bucket. */
  artifacts: { folder: string; files: number; bytes: number; source: string } | { notCopied: string };
}

export const FORMAT = "tracklite-backup";
export const MANIFEST_FILE = "backup.json";

/** Writes the manifest atomically (a temporary file renamed), so a half-written one never marks a backup complete. */
export function writeManifest(folder: string, manifest: BackupManifest): void {
  const path = join(folder, MANIFEST_FILE);
  writeFileSync(`${path}.partial`, `${JSON.stringify(manifest, null, 2)}\n`);
  renameSync(`${path}.partial`, path);
}

/** The manifest of the backup in `folder`, or a usage error saying why `folder` is not a complete backup. */
export function readManifest(folder: string): BackupManifest {
  let text: string;
  try {
    text = readFileSync(join(folder, MANIFEST_FILE), "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR")
      throw new UsageError(
        `${folder} is not a tracklite backup (no ${MANIFEST_FILE}: not made by \`tracklite backup\`, or the backup did not finish).`,
      );
    throw new UsageError(`cannot read ${join(folder, MANIFEST_FILE)}: ${(e as Error).message}`);
  }
  let manifest: Partial<BackupManifest>;
  try {
    manifest = JSON.parse(text) as Partial<BackupManifest>;
  } catch {
    throw new UsageError(`${join(folder, MANIFEST_FILE)} is not valid JSON: the backup is damaged.`);
  }
  if (manifest.format !== FORMAT || typeof manifest.database?.file !== "string")
    throw new UsageError(`${join(folder, MANIFEST_FILE)} does not describe a tracklite backup.`);
  if (manifest.version !== 1)
    throw new UsageError(
      `${folder} was written by a newer tracklite (backup format ${String(manifest.version)}); restore it with that version.`,
    );
  return manifest as BackupManifest;
}
