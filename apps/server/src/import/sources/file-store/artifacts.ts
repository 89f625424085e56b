/**
 * Reading a FileStore's artifacts: by default they sit inside the folder (`file:///…/mlruns/<exp>/<run>/artifacts`).
 * Two cases the stored URIs get wrong are found again: an experiment deleted since (its folder moved to `.trash/`,
 * its URIs not rewritten), and a folder copied from another machine or path (URIs still naming the old place).
 * Other schemes (`s3://`, `mlflow-artifacts:`…) go to the reader the importer passes, else are reported skipped.
 */
import { createReadStream, existsSync, statSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import type { ArtifactFile, ArtifactReader } from "@tracklite/server/import";
import { type Skips, TRASH } from "./layout.js";

/** The local path a `file:` URI or plain absolute path names, or undefined for any other scheme. */
function localPath(uri: string): string | undefined {
  if (uri.startsWith("file:")) {
    // `file:relative/path` (no slashes) is a path relative to where MLflow ran; keep it as written.
    return uri.startsWith("file://") ? fileURLToPath(new URL(uri)) : resolve(uri.slice("file:".length));
  }
  if (isAbsolute(uri)) return uri;
  return undefined;
}

/**
 * Where `path` lives now: itself when it exists, else the same place under `root` found by its experiment folder
 * (`…/<exp id>/rest` → `root/<exp id>/rest` or `root/.trash/<exp id>/rest`), else undefined.
 */
export function relocate(root: string, path: string): string | undefined {
  if (existsSync(path)) return path;
  const segments = path.split(sep).filter((s) => s !== "");
  for (let i = segments.length - 1; i >= 0; i--) {
    const rest = segments.slice(i);
    for (const candidate of [join(root, ...rest), join(root, TRASH, ...rest)]) {
      if (/^\d+$/.test(rest[0] as string) && existsSync(candidate)) return candidate;
    }
  }
  return undefined;
}

async function* walk(dir: string, prefix: string): AsyncGenerator<ArtifactFile> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const rel = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) yield* walk(join(dir, entry.name), rel);
    else if (entry.isFile()) yield { path: rel, size: statSync(join(dir, entry.name)).size };
  }
}

/** The reader of a FileStore at `root`; `other` reads URIs that are not local paths. */
export function createLocalArtifactReader(root: string, skips: Skips, other?: ArtifactReader): ArtifactReader {
  const reported = new Set<string>();
  return {
    async *list(uri: string): AsyncIterable<ArtifactFile> {
      const path = localPath(uri);
      if (path === undefined) {
        if (other !== undefined) {
          yield* other.list(uri);
        } else if (!reported.has(uri)) {
          reported.add(uri);
          skips.push({
            what: `artifacts at ${uri}`,
            reason: "not a local folder, and no reader for its scheme was given",
          });
        }
        return;
      }
      const dir = relocate(root, path);
      if (dir === undefined || !statSync(dir).isDirectory()) return;
      yield* walk(dir, "");
    },
    async open(uri: string, path: string): Promise<ReadableStream<Uint8Array>> {
      const base = localPath(uri);
      if (base === undefined) {
        if (other !== undefined) return other.open(uri, path);
        throw new Error(`Cannot read ${uri}: not a local folder.`);
      }
      const dir = relocate(root, base) ?? base;
      const file = resolve(dir, path);
      const rel = relative(dir, file);
      if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) throw new Error(`${path} is outside ${uri}.`);
      return Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>;
    },
  };
}
