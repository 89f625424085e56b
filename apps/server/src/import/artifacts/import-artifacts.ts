import type { ArtifactStore } from "@tracklite/server";
import type { ArtifactReader, ImportSink, SkippedItem } from "@tracklite/server/import";
import { type ArtifactOwner, artifactUnit, type LocationMap, targetArtifactLocation } from "./artifact-locations.js";
import { MissingArtifact } from "./artifact-reader.js";
import { type CopyOptions, type CopyResult, copyArtifacts } from "./copy-artifacts.js";
import { UnreadableArtifactLocation } from "./source-roots.js";

export interface ArtifactImportContext {
  /** The source's reader; undefined when the source has none (every location is then reported as skipped). */
  reader: ArtifactReader | undefined;
  /** tracklite's `--artifacts-destination` store. */
  target: ArtifactStore;
  /** Checkpoints: a location copied whole is marked done and not listed again on resume. */
  sink: Pick<ImportSink, "isDone" | "markDone">;
  /** Placed locations, for model versions inside a run's or model's files. */
  locations: LocationMap;
  copy?: CopyOptions;
}

export interface ArtifactImportResult {
  /** The URI to write into tracklite for this run, model or version. */
  uri: string;
  copy?: CopyResult;
  skipped?: SkippedItem;
}

const ownerLabel = (owner: ArtifactOwner) =>
  owner.kind === "run"
    ? `run ${owner.runId}`
    : owner.kind === "logged-model"
      ? `logged model ${owner.modelId}`
      : `model version ${owner.name}/${owner.version}`;

/**
 * The artifacts of one run, logged model or model version: its URI in tracklite (see `targetArtifactLocation`) and
 * its files copied there, once (a checkpoint unit per owner). A location the source cannot read is reported as
 * skipped, with why, and the rest of the import goes on; any other failure (the target is full, unreachable…) is
 * thrown. A model version whose location is inside an already placed run or model is not copied again.
 */
export async function importArtifacts(
  ctx: ArtifactImportContext,
  owner: ArtifactOwner,
  sourceUri: string,
): Promise<ArtifactImportResult> {
  if (owner.kind === "model-version") {
    const inside = ctx.locations.rewrite(sourceUri);
    if (inside !== undefined) return { uri: inside };
    if (/^(runs|models):/i.test(sourceUri)) return { uri: sourceUri };
  }
  const target = targetArtifactLocation(sourceUri, owner);
  if (owner.kind !== "model-version") ctx.locations.add(sourceUri, target.uri);
  const unit = artifactUnit(owner);
  if (await ctx.sink.isDone(unit)) return { uri: target.uri };
  const what = `artifacts of ${ownerLabel(owner)} (${sourceUri})`;
  if (!ctx.reader) return { uri: target.uri, skipped: { what, reason: "the source cannot read its artifacts" } };
  try {
    const copy = await copyArtifacts(ctx.reader, sourceUri, ctx.target, target.path, ctx.copy);
    // A version whose source holds no file (a prompt's "dummy-source", a folder gone) keeps the source's text: a
    // location in tracklite would name an empty folder. Not marked: a resumed import looks again, as cheaply.
    if (owner.kind === "model-version" && copy.copied + copy.skipped === 0) return { uri: sourceUri, copy };
    await ctx.sink.markDone(unit);
    return { uri: target.uri, copy };
  } catch (err) {
    if (err instanceof UnreadableArtifactLocation || err instanceof MissingArtifact)
      // A version's source that could not be read (a prompt's "dummy-source", a path on another machine) stays as
      // the source has it: a location in tracklite would name files that are not there.
      return { uri: owner.kind === "model-version" ? sourceUri : target.uri, skipped: { what, reason: err.message } };
    throw err;
  }
}
