import type { ImportSink, ImportSource } from "@tracklite/server/import";
import { LocationMap } from "./artifact-locations.js";
import { createArtifactReader } from "./artifact-reader.js";
import type { ArtifactImportContext } from "./import-artifacts.js";
import { openArtifactLocation } from "./open-store.js";

export interface ArtifactImportOptions {
  /** The source: a live server's (REST) reader goes through its proxy and is used as it is. */
  source: Pick<ImportSource, "artifacts" | "describe">;
  /** `--source-artifacts-destination`: the source server's `--artifacts-destination`, for `mlflow-artifacts:/` locations. */
  sourceArtifactsDestination?: string;
  /** Folder relative source locations are read from (the cwd by default). */
  baseDir?: string;
  /** tracklite's `--artifacts-destination` (a folder, made when missing, or `s3://bucket/prefix`). */
  artifactsDestination: string;
  sink: Pick<ImportSink, "isDone" | "markDone">;
  env?: Record<string, string | undefined>;
}

/**
 * What the importer needs to bring artifacts across: a live server's own reader, or for a database or FileStore
 * source one that reads each stored location where it is; tracklite's destination store; checkpoints.
 */
export async function openArtifactImport(options: ArtifactImportOptions): Promise<ArtifactImportContext> {
  const env = options.env ?? process.env;
  const { kind } = await options.source.describe();
  const reader =
    kind === "rest"
      ? options.source.artifacts()
      : createArtifactReader({
          env,
          ...(options.sourceArtifactsDestination ? { proxiedDestination: options.sourceArtifactsDestination } : {}),
          ...(options.baseDir ? { baseDir: options.baseDir } : {}),
        });
  return {
    reader,
    target: await openArtifactLocation(options.artifactsDestination, env, { createRoot: true }),
    sink: options.sink,
    locations: new LocationMap(),
  };
}
