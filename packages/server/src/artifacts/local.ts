import { createReadStream, createWriteStream } from "node:fs";
import { lstat, mkdir, readdir, realpath, rename, rm, stat } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { invalidParameter } from "../errors.js";
import type { ArtifactBody, ArtifactEntry, ArtifactStore } from "./store.js";

/** In the names of files being uploaded (renamed into place when complete); `<name>.tracklite-upload-<uuid>` before. */
const TEMP_MARK = ".tracklite-upload-";

const errno = (err: unknown) => (err as NodeJS.ErrnoException | undefined)?.code;

/**
 * A path with a segment over the file system's 255 bytes (or over 4,096 in all) cannot be stored here; the reference
 * crashes on it (ENAMETOOLONG, HTTP 500), tracklite refuses it as a bad parameter.
 */
const nameTooLong = () =>
  invalidParameter("Invalid path: a file or folder name is longer than the artifact store's file system allows.");

/**
 * Removes what uploads cut short by a crash left behind (`*.tracklite-upload-*` files) below `root`, once they have not
 * been written to for `idleMs` (so that uploads another live server is writing are left alone). Answers how many it
 * removed. The CLI runs it at start.
 */
export async function removeStaleUploads(root: string, idleMs = 15 * 60_000): Promise<number> {
  let removed = 0;
  const now = Date.now();
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile() && entry.name.includes(TEMP_MARK)) {
        const info = await stat(path).catch(() => undefined);
        if (info && now - info.mtimeMs >= idleMs) {
          await rm(path, { force: true });
          removed++;
        }
      }
    }
  };
  await walk(root);
  return removed;
}

export interface LocalArtifactStoreOptions {
  /**
   * Make the root folder when first used (the default, for `--artifacts-destination`). Off for a run's own root
   * (`/some/dir/<run>/artifacts`): reading one that does not exist finds nothing and creates nothing, as MLflow's local
   * repository does; a write makes it.
   */
  createRoot?: boolean;
}

/**
 * Artifacts in a local folder (Node, Deno and Bun). Writes go to a temporary file renamed into place, so a reader
 * never sees half a file; every resolved path is checked, through symlinks, to stay inside the root.
 */
export function createLocalArtifactStore(root: string, options: LocalArtifactStoreOptions = {}): ArtifactStore {
  const createRoot = options.createRoot ?? true;
  let realRoot: string | undefined;
  /** The root's real path; a missing root is made only for a write, unless `createRoot` (reads then find nothing). */
  const rootReal = async (forWrite = false) => {
    if (!realRoot) {
      if (createRoot || forWrite) await mkdir(root, { recursive: true });
      realRoot = await realpath(root);
    }
    return realRoot;
  };

  /** The absolute path of `path`, refused when it (or the deepest existing folder above it) leads outside the root. */
  const resolveInside = async (path: string, forWrite = false): Promise<string> => {
    const base = await rootReal(forWrite);
    const target = join(base, ...path.split("/").filter(Boolean));
    let existing = target;
    for (;;) {
      try {
        const real = await realpath(existing);
        const rel = relative(base, real);
        if (rel.startsWith("..") || rel.startsWith(sep)) throw invalidParameter("Invalid path");
        return existing === target ? real : target;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
        const parent = dirname(existing);
        if (parent === existing) throw err;
        existing = parent;
      }
    }
  };

  return {
    async put(path, body) {
      try {
        const file = await resolveInside(path, true);
        await mkdir(dirname(file), { recursive: true });
        // Named apart from the file, so that a name of up to 255 bytes still leaves room for the temporary one.
        const tmp = join(dirname(file), `${TEMP_MARK}${crypto.randomUUID()}`);
        try {
          await pipeline(Readable.fromWeb(body as import("node:stream/web").ReadableStream), createWriteStream(tmp));
          await rename(tmp, file);
        } catch (err) {
          await rm(tmp, { force: true });
          throw err;
        }
      } catch (err) {
        if (errno(err) === "ENAMETOOLONG") throw nameTooLong();
        throw err;
      }
    },

    async get(path): Promise<ArtifactBody | undefined> {
      let file: string;
      try {
        file = await resolveInside(path);
      } catch (err) {
        // A name longer than the file system takes names no file.
        if (errno(err) === "ENOENT" || errno(err) === "ENAMETOOLONG") return undefined;
        throw err;
      }
      const info = await stat(file).catch(() => undefined);
      if (!info) return undefined;
      if (info.isDirectory()) throw invalidParameter(`Artifact path refers to a directory, not a file: '${path}'`);
      const stream = Readable.toWeb(createReadStream(file)) as unknown as ReadableStream<Uint8Array>;
      return { stream, size: info.size };
    },

    async list(dir): Promise<ArtifactEntry[]> {
      const folder = await resolveInside(dir).catch(() => undefined);
      if (!folder) return [];
      const info = await stat(folder).catch(() => undefined);
      if (!info?.isDirectory()) return [];
      const names = (await readdir(folder)).filter((n) => !n.includes(TEMP_MARK)).sort();
      const entries: ArtifactEntry[] = [];
      for (const name of names) {
        const s = await lstat(join(folder, name));
        if (s.isSymbolicLink()) continue; // never list what may lead outside the root
        const path = dir ? `${dir}/${name}` : name;
        entries.push(s.isDirectory() ? { path, isDir: true } : { path, isDir: false, size: s.size });
      }
      return entries;
    },

    async delete(path) {
      const target = await resolveInside(path).catch(() => undefined);
      if (!target || target === (await rootReal())) return;
      await rm(target, { recursive: true, force: true }).catch((err: unknown) => {
        if (errno(err) !== "ENAMETOOLONG") throw err; // a name too long for the file system names nothing
      });
    },
  };
}
