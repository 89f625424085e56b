/** Artifacts of `tracklite import`: reading a source's stored locations, and copying them into tracklite's store. */
export { createArtifactReader, MissingArtifact } from "./artifact-reader.js";
export { createSourceRootOpener, type SourceRootOptions, UnreadableArtifactLocation } from "./source-roots.js";
