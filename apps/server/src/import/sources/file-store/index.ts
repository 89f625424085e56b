/** The FileStore source of `tracklite import` (an `mlruns/` folder written by MLflow 2.x or 3.x). */
import { dirname } from "node:path";
import type { ImportSource } from "@tracklite/server/import";
import { createArtifactReader } from "../../artifacts/index.js";
import type { SourceOptions } from "../index.js";
import { openFileStoreSource } from "./file-store-source.js";
import { resolveMlruns } from "./layout.js";

export { type FileStoreSourceOptions, openFileStoreSource } from "./file-store-source.js";

/**
 * The registry's entry point: SOURCE is the folder; artifacts are read with the import's reader, which takes
 * `--source-artifacts-destination` for `mlflow-artifacts:/` locations and MLflow's S3 variables for `s3://` ones.
 */
export async function openFileStoreKind(location: string, options: SourceOptions): Promise<ImportSource> {
  const destination = options.flags["source-artifacts-destination"];
  const root = resolveMlruns(location);
  const artifactReader = createArtifactReader({
    ...(typeof destination === "string" ? { proxiedDestination: destination } : {}),
    baseDir: dirname(root),
    env: options.env,
  });
  return openFileStoreSource(root, { artifactReader });
}
