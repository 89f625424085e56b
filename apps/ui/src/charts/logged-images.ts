/**
 * Images logged with `mlflow.log_image(image, key=…, step=…)`, read back from their file names. MLflow 3.17.2 writes
 * two files per call under the run's `images/` folder:
 * `images/<key>+step+<step>+timestamp+<ms>+<uuid>.png` (full size) and the same name with `+compressed.webp`
 * (a thumbnail at most 256 px on its longer side). A `/` in the key is written as `~` (older clients used `#`), and
 * older clients separated the parts with `%` instead of `+`; the run gets the tag `mlflow.loggedImages`.
 * @see mlflow/tracking/client.py `log_image`, and MLflow UI's `imagesByRunUuid` reducer, which parses the same way.
 */

/** The folder `log_image(key=…)` writes to. */
export const LOGGED_IMAGES_DIR = "images";

/** The part separators of the file names: `+` since MLflow 2.x's fix for mlflow#21085, `%` before. */
const SEPARATORS = ["+", "%"] as const;

const COMPRESSED = "compressed";

/** One `log_image` call: a key at a step, with its full-size file and (when present) its thumbnail. */
export interface LoggedImage {
  key: string;
  step: number;
  timestamp: number;
  /** Run-relative path of the full-size PNG (undefined while only the thumbnail is listed). */
  path: string | undefined;
  /** Run-relative path of the compressed WebP thumbnail. */
  thumbnail: string | undefined;
}

/** What a file name under `images/` says (undefined for a file that is not a logged image). */
export interface ParsedImageName {
  key: string;
  step: number;
  timestamp: number;
  /** The name without its extension and `+compressed` suffix: the full image and its thumbnail share it. */
  fileKey: string;
  extension: string;
  compressed: boolean;
}

/** Parses one run-relative path such as `images/val~pred+step+3+timestamp+1700000000000+<uuid>.png`. */
export function parseImageName(path: string): ParsedImageName | undefined {
  const prefix = `${LOGGED_IMAGES_DIR}/`;
  if (!path.startsWith(prefix)) return undefined;
  const name = path.slice(prefix.length);
  if (name.includes("/")) return undefined;
  const dot = name.lastIndexOf(".");
  if (dot <= 0) return undefined;
  const extension = name.slice(dot + 1).toLowerCase();
  let stem = name.slice(0, dot);
  const sep = SEPARATORS.find((s) => stem.includes(`${s}step${s}`));
  if (!sep) return undefined;
  const parts = stem.split(sep);
  const [rawKey, stepWord, step, timeWord, timestamp] = parts;
  if (stepWord !== "step" || timeWord !== "timestamp" || rawKey === undefined) return undefined;
  if (!/^-?\d+$/.test(step ?? "") || !/^\d+$/.test(timestamp ?? "")) return undefined;
  const compressed = parts[parts.length - 1] === COMPRESSED;
  if (compressed) stem = stem.slice(0, -(COMPRESSED.length + sep.length));
  return {
    key: rawKey.replace(/[~#]/g, "/"),
    step: Number(step),
    timestamp: Number(timestamp),
    fileKey: stem,
    extension,
    compressed,
  };
}

/**
 * The logged images of one run's `images/` listing, by key, each key's images sorted by step (then time). Files of
 * other kinds are ignored; a call whose full-size file is missing keeps its thumbnail (and the other way round).
 */
export function groupLoggedImages(paths: readonly string[]): Map<string, LoggedImage[]> {
  const byFile = new Map<string, LoggedImage>();
  for (const path of paths) {
    const p = parseImageName(path);
    if (!p) continue;
    const image = byFile.get(p.fileKey) ?? {
      key: p.key,
      step: p.step,
      timestamp: p.timestamp,
      path: undefined,
      thumbnail: undefined,
    };
    if (p.compressed) image.thumbnail = path;
    else image.path = path;
    byFile.set(p.fileKey, image);
  }
  const byKey = new Map<string, LoggedImage[]>();
  for (const image of byFile.values()) {
    const list = byKey.get(image.key) ?? [];
    list.push(image);
    byKey.set(image.key, list);
  }
  for (const list of byKey.values()) list.sort((a, b) => a.step - b.step || a.timestamp - b.timestamp);
  return new Map([...byKey].sort(([a], [b]) => a.localeCompare(b)));
}

/** The image of a key at `step`: the last one logged at that step, else the last one before it. */
export function imageAtStep(images: readonly LoggedImage[] | undefined, step: number): LoggedImage | undefined {
  let found: LoggedImage | undefined;
  for (const image of images ?? []) {
    if (image.step > step) break;
    found = image;
  }
  return found;
}

/** The steps at which any of `lists` has an image, ascending and without repeats. */
export function stepsOf(lists: Iterable<readonly LoggedImage[] | undefined>): number[] {
  const steps = new Set<number>();
  for (const list of lists) for (const image of list ?? []) steps.add(image.step);
  return [...steps].sort((a, b) => a - b);
}

/** File extensions a browser shows in an `<img>`. */
const IMAGE_EXTENSIONS = new Set(["png", "jpg", "jpeg", "gif", "webp", "svg", "bmp", "avif", "ico"]);

/** Whether a path names an image the browser can show. */
export function isImagePath(path: string): boolean {
  const dot = path.lastIndexOf(".");
  return dot > path.lastIndexOf("/") && IMAGE_EXTENSIONS.has(path.slice(dot + 1).toLowerCase());
}
