import type { ArtifactEntry, ArtifactStore } from "@tracklite/server";
import type { ArtifactFile, ArtifactReader } from "@tracklite/server/import";

export interface CopyResult {
  /** Files written. */
  copied: number;
  /** Files already in the target with the same size (an earlier, interrupted copy wrote them). */
  skipped: number;
  /** Bytes written. */
  bytes: number;
}

export interface CopyOptions {
  /** Files in flight at once (a bucket on either side is latency-bound). Default 4. */
  concurrency?: number;
  /** Called after each file, written or skipped: for the progress bar. */
  onFile?: (file: ArtifactFile, written: boolean) => void;
}

/** How many folders' target listings are kept while copying (a listing is one folder's entries). */
const LISTINGS_KEPT = 32;

/**
 * Copies every file of one source location (a run's, a logged model's or a version's) to `targetPath` in tracklite's
 * artifact store, streaming each file (never held whole), through the store's own `put`, which makes a file visible
 * only once complete (a temporary file renamed into place, an S3 upload completed). So a copy cut short leaves
 * whole files only, and running it again skips every file already there with the same size: it resumes.
 */
export async function copyArtifacts(
  reader: ArtifactReader,
  sourceUri: string,
  target: ArtifactStore,
  targetPath: string,
  options: CopyOptions = {},
): Promise<CopyResult> {
  const result: CopyResult = { copied: 0, skipped: 0, bytes: 0 };
  const listings = new Map<string, Promise<Map<string, ArtifactEntry>>>();
  /** The target's entries of one folder, fetched once (folders come in listing order, so few are kept). */
  const listing = (dir: string) => {
    let entries = listings.get(dir);
    if (!entries) {
      entries = target.list(dir).then((list) => new Map(list.map((e) => [e.path, e])));
      listings.set(dir, entries);
      if (listings.size > LISTINGS_KEPT) listings.delete(listings.keys().next().value as string);
    }
    return entries;
  };

  const copyOne = async (file: ArtifactFile) => {
    const path = targetPath ? `${targetPath}/${file.path}` : file.path;
    const dir = path.slice(0, Math.max(path.lastIndexOf("/"), 0));
    const there = (await listing(dir)).get(path);
    if (there && !there.isDir && file.size !== undefined && there.size === file.size) {
      result.skipped++;
      options.onFile?.(file, false);
      return;
    }
    let bytes = 0;
    const counted = (await reader.open(sourceUri, file.path)).pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          bytes += chunk.byteLength;
          controller.enqueue(chunk);
        },
      }),
    );
    await target.put(path, counted);
    result.copied++;
    result.bytes += bytes;
    options.onFile?.(file, true);
  };

  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  for await (const file of reader.list(sourceUri)) {
    if (failure) break;
    const task = copyOne(file).then(
      () => {
        inFlight.delete(task);
      },
      (err: unknown) => {
        inFlight.delete(task);
        failure ??= err;
      },
    );
    inFlight.add(task);
    if (inFlight.size >= (options.concurrency ?? 4)) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  if (failure) throw failure;
  return result;
}
