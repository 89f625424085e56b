import { constants, statSync } from "node:fs";
import { copyFile, lstat, mkdir, readdir } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { formatBytes, type ProgressSink, startPhase } from "./backup-progress.js";

/**
 * Copying an artifacts folder for `tracklite backup` and `tracklite restore`. The server writes each artifact to a
 * temporary file renamed into place, so a file is copied whole (the copy reads the inode it opened, even if a newer
 * upload replaces the name meanwhile) and uploads still under way (`*.tracklite-upload-*`) are left out.
 */

/** How often a file being copied is measured for the progress bar. */
const POLL_MS = 100;

/** The size of a file, or undefined while it does not exist. */
export function statSizeOf(path: string): number | undefined {
  try {
    return statSync(path).size;
  } catch {
    return undefined;
  }
}

/** In the names of files being uploaded (see `@tracklite/server/local-artifacts`); never part of a backup. */
const TEMP_MARK = ".tracklite-upload-";

/** A folder's regular files, as paths relative to it, and their total size. */
export interface FileList {
  files: { path: string; bytes: number }[];
  bytes: number;
  /** Symlinks, sockets and the like: not artifacts the server writes, so not copied. */
  skipped: string[];
}

/** Lists the regular files below `root` (none when it does not exist), without unfinished uploads. */
export async function listFiles(root: string): Promise<FileList> {
  const list: FileList = { files: [], bytes: 0, skipped: [] };
  const walk = async (dir: string): Promise<void> => {
    let entries: import("node:fs").Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      // No artifacts folder yet, or a folder removed since its parent was listed.
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return;
      throw e;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) {
        if (entry.name.includes(TEMP_MARK)) continue;
        // Deleted since the listing (an artifact removed by a client): nothing to copy.
        const info = await lstat(path).catch(() => undefined);
        if (!info) continue;
        list.files.push({ path: relative(root, path), bytes: info.size });
        list.bytes += info.size;
      } else list.skipped.push(relative(root, path));
    }
  };
  await walk(root);
  return list;
}

/**
 * Copies the listed files from `from` to `to` (folders made as needed), with a progress phase in bytes. A file
 * removed since the listing is left out. Copies are cloned where the file system can (copy-on-write), else copied.
 * Answers the files and bytes copied.
 */
export async function copyFiles(
  list: FileList,
  from: string,
  to: string,
  sink: ProgressSink,
  label = "artifacts",
): Promise<{ files: number; bytes: number }> {
  await mkdir(to, { recursive: true });
  const phase = startPhase(sink, label, list.bytes, "bytes");
  let bytes = 0;
  let files = 0;
  const made = new Set<string>([to]);
  // A large file copies for a while: its partial size feeds the bar meanwhile (copyFile runs off the main thread).
  let current: string | undefined;
  const timer = setInterval(() => {
    if (current) phase.update(bytes + (statSizeOf(current) ?? 0));
  }, POLL_MS);
  try {
    for (const file of list.files) {
      const target = join(to, file.path);
      const folder = dirname(target);
      if (!made.has(folder)) {
        await mkdir(folder, { recursive: true });
        made.add(folder);
      }
      current = target;
      try {
        await copyFile(join(from, file.path), target, constants.COPYFILE_FICLONE);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") continue;
        throw e;
      } finally {
        current = undefined;
      }
      bytes += (await lstat(target)).size;
      files++;
      phase.update(bytes);
    }
  } finally {
    clearInterval(timer);
  }
  phase.end(`${files.toLocaleString("en-US")} files, ${formatBytes(bytes)}`);
  return { files, bytes };
}
