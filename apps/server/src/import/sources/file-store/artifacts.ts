/**
 * Reading a FileStore's artifacts. By default they sit inside the folder (`file:///…/mlruns/<exp>/<run>/artifacts`);
 * two cases where the stored URIs are wrong are found again before reading: an experiment deleted since (its folder
 * moved to `.trash/`, its URIs not rewritten), and a folder copied from another machine or path (URIs still naming
 * the old place). The reading itself is the import's artifact reader (../../artifacts: local folders, `s3://`,
 * `mlflow-artifacts:/` with `--source-artifacts-destination`).
 */
import { existsSync } from "node:fs";
import { isAbsolute, join, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { ArtifactFile, ArtifactReader } from "@tracklite/server/import";
import { TRASH } from "./layout.js";

/** The local path a `file:///` URI or an absolute path names, or undefined for anything else. */
function localPath(uri: string): string | undefined {
  if (/^file:\/\/(localhost)?\//i.test(uri)) return fileURLToPath(uri.replace(/^file:\/\/localhost\//i, "file:///"));
  if (/^file:\//i.test(uri)) return fileURLToPath(`file://${uri.slice("file:".length)}`);
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
    if (!/^\d+$/.test(rest[0] as string)) continue;
    for (const candidate of [join(root, ...rest), join(root, TRASH, ...rest)]) {
      if (existsSync(candidate)) return candidate;
    }
  }
  return undefined;
}

/** `reader` over the FileStore at `root`, with local locations found again where the folder now holds them. */
export function relocatingArtifactReader(root: string, reader: ArtifactReader): ArtifactReader {
  const where = (uri: string) => {
    const path = localPath(uri);
    if (path === undefined) return uri;
    const found = relocate(root, path);
    return found === undefined || found === path ? uri : pathToFileURL(found).href;
  };
  return {
    list: (uri: string): AsyncIterable<ArtifactFile> => reader.list(where(uri)),
    open: (uri: string, path: string) => reader.open(where(uri), path),
  };
}
