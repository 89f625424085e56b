/** Artifacts of `tracklite import`: reading a source's stored locations, and copying them into tracklite's store. */
export {
  type ArtifactOwner,
  artifactUnit,
  LocationMap,
  type TargetLocation,
  targetArtifactLocation,
} from "./artifact-locations.js";
export { createArtifactReader, MissingArtifact } from "./artifact-reader.js";
export { type CopyOptions, type CopyResult, copyArtifacts } from "./copy-artifacts.js";
export { type ArtifactImportContext, type ArtifactImportResult, importArtifacts } from "./import-artifacts.js";
export { isS3Location, openArtifactLocation } from "./open-store.js";
export { createSourceRootOpener, type SourceRootOptions, UnreadableArtifactLocation } from "./source-roots.js";
