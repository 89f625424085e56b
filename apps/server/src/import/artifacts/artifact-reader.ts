import type { ArtifactRoot } from "@tracklite/server";
import type { ArtifactFile, ArtifactReader } from "@tracklite/server/import";
import { createSourceRootOpener, type SourceRootOptions } from "./source-roots.js";

/** A file the listing named but that was gone (or became a folder) when it was opened. */
export class MissingArtifact extends Error {
  override name = "MissingArtifact";
}

/** `dir/path`; `path` below the root, `dir` itself for an empty path. */
const under = (dir: string, path: string) => (dir && path ? `${dir}/${path}` : dir || path);

/**
 * Every file below `dir` of a root, depth first, in path order; one folder's listing is held at a time per level,
 * so a location with many files streams.
 */
async function* walk(root: ArtifactRoot, dir: string, prefix: string): AsyncGenerator<ArtifactFile> {
  for (const entry of await root.store.list(under(root.dir, dir))) {
    const name = entry.path.slice(entry.path.lastIndexOf("/") + 1);
    const path = prefix ? `${prefix}/${name}` : name;
    if (entry.isDir) yield* walk(root, dir ? `${dir}/${name}` : name, path);
    else yield { path, ...(entry.size === undefined ? {} : { size: entry.size }) };
  }
}

/**
 * The `ArtifactReader` of a database or FileStore source: reads each stored location where it is (a local folder,
 * a bucket, or the source server's artifacts destination for `mlflow-artifacts:/` locations), through the same
 * artifact store code the server uses. A location that does not exist lists nothing, as MLflow's repositories do.
 * Errors: `UnreadableArtifactLocation` (a location this reader cannot reach, e.g. a proxied one without
 * `--source-artifacts-destination`), `MissingArtifact` (a listed file gone when opened).
 */
export function createArtifactReader(options: SourceRootOptions = {}): ArtifactReader {
  const open = createSourceRootOpener(options);
  return {
    async *list(uri) {
      yield* walk(await open(uri), "", "");
    },
    async open(uri, path) {
      const root = await open(uri);
      const clean = path.split("/").filter((s) => s !== "" && s !== ".");
      if (clean.includes("..")) throw new MissingArtifact(`Invalid artifact path '${path}' under '${uri}'.`);
      const body = await root.store.get(under(root.dir, clean.join("/"))).catch((err: unknown) => {
        throw new MissingArtifact(`'${path}' under '${uri}' cannot be read: ${(err as Error).message}`);
      });
      if (!body) throw new MissingArtifact(`'${path}' under '${uri}' is gone.`);
      return body.stream;
    },
  };
}
