import { existsSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type ArtifactRoot, type ArtifactStore, proxiedRoot, uriScheme } from "@tracklite/server";
import { openArtifactLocation } from "./open-store.js";

export interface SourceRootOptions {
  /**
   * The source server's `--artifacts-destination` (a folder or `s3://bucket/prefix`): where its `mlflow-artifacts:/…`
   * locations are (`--source-artifacts-destination`). Without it such locations cannot be read.
   */
  proxiedDestination?: string;
  /** Folder a relative location (`./mlruns/0/<run>/artifacts`, as older MLflow wrote) is taken from; the cwd by default. */
  baseDir?: string;
  /** MLflow's S3 variables for `s3://` locations and an `s3://` proxied destination. */
  env?: Record<string, string | undefined>;
}

/** The source side of a local location that does not exist: no file (the import only lists and reads it). */
const NO_FILES: ArtifactStore = {
  put: async () => {
    throw new Error("the import never writes a source's artifacts");
  },
  get: async () => undefined,
  list: async () => [],
  delete: async () => undefined,
};

/** A location the import cannot read, said so that the summary's "skipped" line tells the user what to do. */
export class UnreadableArtifactLocation extends Error {
  override name = "UnreadableArtifactLocation";
}

/** A `file:` URI's path; only this machine's (`file:///a`, `file:/a`, `file://localhost/a`). */
function fileUriPath(uri: string): string {
  const match = /^file:(?:\/\/([^/]*))?(\/.*)?$/i.exec(uri);
  const host = match?.[1] ?? "";
  if (!match || (host !== "" && host.toLowerCase() !== "localhost"))
    throw new UnreadableArtifactLocation(`The artifact location '${uri}' is on another machine (${host}).`);
  return fileURLToPath(`file://${match[2] ?? "/"}`);
}

/**
 * Opens a source's stored artifact location (a run's artifact_uri, a logged model's, a version's storage location):
 * a local path or `file:` URI, `s3://bucket/prefix`, or `mlflow-artifacts:/path` (or its `http(s)://…/api/2.0/
 * mlflow-artifacts/artifacts/path` form) inside the source server's artifacts destination. Stores are opened once per
 * bucket or destination; local folders are never created by reading.
 * @see mlflow/store/artifact/artifact_repository_registry.py (which repository serves which scheme)
 */
export function createSourceRootOpener(options: SourceRootOptions = {}): (uri: string) => Promise<ArtifactRoot> {
  const env = options.env ?? process.env;
  const baseDir = options.baseDir ?? process.cwd();
  const stores = new Map<string, Promise<ArtifactStore>>();
  const once = (key: string, open: () => Promise<ArtifactStore>) => {
    let store = stores.get(key);
    if (!store) {
      store = open();
      stores.set(key, store);
      store.catch(() => stores.delete(key));
    }
    return store;
  };

  return async (uri) => {
    const scheme = uriScheme(uri);
    if (scheme === "mlflow-artifacts" || scheme === "http" || scheme === "https") {
      const destination = options.proxiedDestination;
      if (!destination)
        throw new UnreadableArtifactLocation(
          `The artifact location '${uri}' is in the source server's artifact store: pass --source-artifacts-destination (the folder or s3:// URI its --artifacts-destination was).`,
        );
      const dir = proxiedRoot(uri);
      const root = destinationLocation(destination);
      const store = await once(`proxied:${destination}`, () => openArtifactLocation(root, env));
      return { store, dir };
    }
    if (scheme === "s3") {
      const match = /^s3:\/\/([^/?#]+)\/*([^?#]*)$/i.exec(uri);
      if (!match)
        throw new UnreadableArtifactLocation(`The artifact location '${uri}' is not an s3://bucket/path URI.`);
      const bucket = match[1] as string;
      const store = await once(`s3:${bucket}`, () => openArtifactLocation(`s3://${bucket}`, env));
      return { store, dir: (match[2] ?? "").replace(/\/+$/, "") };
    }
    if (scheme === "" || scheme === "file" || /^[a-z]:[\\/]/i.test(uri)) {
      const path = scheme === "file" ? fileUriPath(uri) : uri;
      const folder = isAbsolute(path) ? path : resolve(baseDir, path);
      // A run that logged no file has no folder: it lists nothing, without a store whose path checks cost a failing
      // realpath (~0.4 ms a run on the import's main thread).
      if (!existsSync(folder)) return { store: NO_FILES, dir: "" };
      return { store: await openArtifactLocation(folder, env), dir: "" };
    }
    throw new UnreadableArtifactLocation(
      `The artifact location '${uri}' has a scheme the import cannot read (${scheme}:); local, s3:// and mlflow-artifacts:/ locations are read.`,
    );
  };
}

/** A destination as given: an `s3://` URI stays one, a `file:` URI becomes its path, a relative path an absolute one. */
function destinationLocation(destination: string): string {
  if (uriScheme(destination) === "s3") return destination;
  const path = uriScheme(destination) === "file" ? fileUriPath(destination) : destination;
  return resolve(path);
}
