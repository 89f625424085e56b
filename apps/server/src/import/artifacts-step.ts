import type { ArtifactStore } from "@tracklite/server";
import type { ArtifactReader } from "@tracklite/server/import";
import {
  type ArtifactOwner,
  copyArtifacts,
  LocationMap,
  MissingArtifact,
  targetArtifactLocation,
  UnreadableArtifactLocation,
} from "./artifacts/index.js";

/**
 * The import's artifact step: where each run's, logged model's and model version's files go in tracklite (the URI
 * the entity is written with) and the copy itself, through the artifacts owner's rule (`targetArtifactLocation`,
 * `LocationMap`) and copier. A version whose files lie inside a run's or model's location already placed is pointed
 * at the copy and not copied again.
 */
export interface ArtifactStep {
  /** Where `owner`'s files at `sourceUri` land: the URI to write, and the destination path to copy to (none: no copy). */
  place(sourceUri: string, owner: ArtifactOwner): { uri: string; copyTo?: string };
  copy(reader: ArtifactReader, sourceUri: string, targetPath: string): Promise<{ files: number; bytes: number }>;
}

/** Model-version sources that name an entity rather than a stored location (`runs:/<id>/model`, `models:/m-…`). */
const isReference = (uri: string) => /^(runs|models|prompts):/i.test(uri);

export function createArtifactStep(store: ArtifactStore): ArtifactStep {
  const locations = new LocationMap();
  return {
    place(sourceUri, owner) {
      if (owner.kind === "model-version") {
        if (isReference(sourceUri)) return { uri: sourceUri };
        const inside = locations.rewrite(sourceUri);
        if (inside !== undefined) return { uri: inside };
      }
      const target = targetArtifactLocation(sourceUri, owner);
      if (owner.kind !== "model-version") locations.add(sourceUri, target.uri);
      return { uri: target.uri, copyTo: target.path };
    },
    async copy(reader, sourceUri, targetPath) {
      const result = await copyArtifacts(reader, sourceUri, store, targetPath);
      return { files: result.copied, bytes: result.bytes };
    },
  };
}

/** Whether a copy failed for a reason of the source's (a location out of reach, a file gone): skipped, not fatal. */
export const isSourceArtifactProblem = (e: unknown) =>
  e instanceof MissingArtifact || e instanceof UnreadableArtifactLocation;
