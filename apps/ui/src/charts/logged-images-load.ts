/**
 * Reads a run's images from the server: the `images/` listing of `log_image(key=…)` (one `artifacts/list` call, as
 * MLflow's UI does) and, for the artifact view, the image files elsewhere in the run's artifacts (a bounded walk).
 */
import { client } from "../api.js";
import { serverBase } from "../lib/server-base.js";
import { groupLoggedImages, isImagePath, LOGGED_IMAGES_DIR, type LoggedImage } from "./logged-images.js";

/** Directories listed at most per run when looking for image artifacts (a run with a huge tree is not walked whole). */
const MAX_LISTINGS = 40;
/** How deep the walk for image artifacts goes below the root. */
const MAX_DEPTH = 3;

/** A run's logged images by key (see {@link groupLoggedImages}). */
export async function loadLoggedImages(runId: string): Promise<Map<string, LoggedImage[]>> {
  const files = await client.listArtifacts(runId, LOGGED_IMAGES_DIR);
  return groupLoggedImages(files.filter((f) => !f.is_dir).map((f) => f.path));
}

/**
 * The image files among a run's artifacts, outside `images/` (whose files are the logged images above) and outside
 * logged-model folders: breadth first, at most {@link MAX_LISTINGS} directories, {@link MAX_DEPTH} levels deep.
 */
export async function loadImageArtifacts(runId: string): Promise<string[]> {
  const found: string[] = [];
  let level = [""];
  let listings = 0;
  for (let depth = 0; depth <= MAX_DEPTH && level.length; depth++) {
    const next: string[] = [];
    for (const dir of level) {
      if (listings++ >= MAX_LISTINGS) return found.sort();
      const files = await client.listArtifacts(runId, dir || undefined);
      for (const f of files) {
        if (f.is_dir) {
          if (f.path !== LOGGED_IMAGES_DIR) next.push(f.path);
        } else if (isImagePath(f.path)) found.push(f.path);
      }
    }
    level = next;
  }
  return found.sort();
}

/** The URL of a run's artifact for an `<img src>`: the server's `get-artifact` route, as MLflow's UI uses. */
export function runArtifactUrl(runId: string, path: string): string {
  return `${serverBase()}/get-artifact?${new URLSearchParams({ path, run_uuid: runId })}`;
}
