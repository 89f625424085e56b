import { resolve } from "node:path";
import { createLocalArtifactStore } from "./local.js";
import type { ArtifactRootOpener } from "./roots.js";
import { uriScheme } from "./roots.js";
import type { ArtifactStore } from "./store.js";

/** A `file:` URI's local path (`file:///a`, `file:/a`, `file://localhost/a`); undefined for another host's. */
function fileUriPath(uri: string): string | undefined {
  const match = /^file:(?:\/\/([^/]*))?(\/.*)?$/i.exec(uri);
  if (!match) return undefined;
  const host = match[1] ?? "";
  if (host !== "" && host.toLowerCase() !== "localhost") return undefined;
  try {
    return decodeURIComponent(match[2] ?? "/");
  } catch {
    return undefined;
  }
}

export interface NodeRootOptions {
  /** Opens the bucket of an `s3://bucket` URI with the server's S3 settings (the `--artifacts-destination` ones). */
  openS3?: (bucketUri: string) => Promise<ArtifactStore>;
}

/**
 * The Node (Deno, Bun) reader of stored artifact locations: a local path or `file:` URI is a folder on this machine
 * (a relative path from the working folder, as MLflow's local repository reads it), `s3://bucket/prefix` a bucket.
 * Each location is its own root, so that no artifact path leads out of it, symlinks included (see `local.ts`).
 * @see mlflow/store/artifact/local_artifact_repo.py, s3_artifact_repo.py
 */
export function createArtifactRootOpener(options: NodeRootOptions = {}): ArtifactRootOpener {
  const buckets = new Map<string, Promise<ArtifactStore>>();
  return async (uri) => {
    const scheme = uriScheme(uri);
    if (scheme === "" || scheme === "file") {
      const path = scheme === "" ? uri : fileUriPath(uri);
      if (path === undefined || path.includes("\0")) return undefined;
      return { store: createLocalArtifactStore(resolve(path), { createRoot: false }), dir: "" };
    }
    if (scheme === "s3" && options.openS3) {
      const match = /^s3:\/\/([^/?#]+)\/*([^?#]*)$/i.exec(uri);
      if (!match) return undefined;
      const bucket = match[1] as string;
      let store = buckets.get(bucket);
      if (!store) {
        store = options.openS3(`s3://${bucket}`);
        buckets.set(bucket, store);
        store.catch(() => buckets.delete(bucket));
      }
      return { store: await store, dir: (match[2] ?? "").replace(/\/+$/, "") };
    }
    return undefined;
  };
}
