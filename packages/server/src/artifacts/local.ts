import { createReadStream, createWriteStream } from "node:fs";
import { lstat, mkdir, readdir, realpath, rename, rm, stat } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { invalidParameter } from "../errors.js";
import type { ArtifactBody, ArtifactEntry, ArtifactStore } from "./store.js";

/**
 * Artifacts in a local folder (Node, Deno and Bun). Writes go to a temporary file renamed into place, so a reader
 * never sees half a file; every resolved path is checked, through symlinks, to stay inside the root.
 */
export function createLocalArtifactStore(root: string): ArtifactStore {
  let realRoot: string | undefined;
  const rootReal = async () => {
    if (!realRoot) {
      await mkdir(root, { recursive: true });
      realRoot = await realpath(root);
    }
    return realRoot;
  };

  /** The absolute path of `path`, refused when it (or the deepest existing folder above it) leads outside the root. */
  const resolveInside = async (path: string): Promise<string> => {
    const base = await rootReal();
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
      const file = await resolveInside(path);
      await mkdir(dirname(file), { recursive: true });
      const tmp = `${file}.tracklite-upload-${crypto.randomUUID()}`;
      try {
        await pipeline(Readable.fromWeb(body as import("node:stream/web").ReadableStream), createWriteStream(tmp));
        await rename(tmp, file);
      } catch (err) {
        await rm(tmp, { force: true });
        throw err;
      }
    },

    async get(path): Promise<ArtifactBody | undefined> {
      let file: string;
      try {
        file = await resolveInside(path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
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
      const names = (await readdir(folder)).filter((n) => !n.includes(".tracklite-upload-")).sort();
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
      if (target && target !== (await rootReal())) await rm(target, { recursive: true, force: true });
    },
  };
}
