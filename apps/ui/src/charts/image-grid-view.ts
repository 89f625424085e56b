/**
 * The image grid's view in the URL, so a grid at a step is a link: `img` (`logged` | `artifacts`), `iacross=steps`,
 * `ikey` (repeated: the keys or files shown), `istep` and `itr=1` (runs as columns). Kept apart from the grid so the
 * pages read it without loading the grid's chunk.
 */
import type { ImageGridAcross, ImageGridMode } from "./image-grid-model.js";

/** The tag `log_image(key=…)` sets on the run: the pages open the grid on logged images when a run has it. */
export const LOGGED_IMAGES_TAG = "mlflow.loggedImages";

export interface ImageGridView {
  /** Undefined: the page's default (logged images when a run has them). */
  mode: ImageGridMode | undefined;
  across: ImageGridAcross;
  /** The keys (logged) or files (artifacts) chosen; undefined = all. */
  keys: string[] | undefined;
  step: number | undefined;
  transpose: boolean;
}

const PARAMS = ["img", "iacross", "ikey", "istep", "itr"] as const;

export function readImageGridView(q: URLSearchParams): ImageGridView {
  const mode = q.get("img");
  const step = q.get("istep");
  return {
    mode: mode === "logged" || mode === "artifacts" ? mode : undefined,
    across: q.get("iacross") === "steps" ? "steps" : "keys",
    keys: q.has("ikey") ? q.getAll("ikey").filter(Boolean) : undefined,
    step: step !== null && /^-?\d+$/.test(step) ? Number(step) : undefined,
    transpose: q.get("itr") === "1",
  };
}

/** `q` with the view written into it (defaults left out). */
export function writeImageGridView(q: URLSearchParams, v: ImageGridView): URLSearchParams {
  for (const p of PARAMS) q.delete(p);
  if (v.mode) q.set("img", v.mode);
  if (v.across === "steps") q.set("iacross", "steps");
  for (const k of v.keys ?? []) q.append("ikey", k);
  if (v.step !== undefined) q.set("istep", String(v.step));
  if (v.transpose) q.set("itr", "1");
  return q;
}
