/**
 * Which preview an artifact gets, from its name and size. Pure: tested in preview-kind.test.ts.
 * The extension lists follow what MLflow's artifact view previews (images, text and code, tables, HTML, MLmodel).
 */

export type PreviewKind = "image" | "text" | "json" | "yaml" | "mlmodel" | "csv" | "tsv" | "html" | "unknown";

/** Text-like previews read at most this many bytes; the rest of the file is not fetched. */
export const PREVIEW_LIMIT = 256 * 1024;

/** Images larger than this are not shown inline (an `<img>` has to load the whole file). */
export const IMAGE_LIMIT = 20 * 1024 * 1024;

const IMAGE = new Set(["png", "jpg", "jpeg", "gif", "svg", "bmp", "webp"]);
const YAML = new Set(["yaml", "yml"]);
const JSON_EXT = new Set(["json", "geojson", "ipynb"]);
const HTML = new Set(["html", "htm"]);
const TEXT = new Set(
  (
    "txt log err out md markdown rst py pyi r sql sh bash js mjs ts java scala go rs c h cc cpp hpp cs rb " +
    "cfg conf cnf cf ini toml properties prop hocon xml jsonl ndjson jsonnet diff patch tex env gitignore"
  ).split(" "),
);
/** Files without an extension that are text (matched on the whole name). */
const TEXT_NAMES = new Set(["mlproject", "dockerfile", "makefile", "license", "readme", "requirements"]);

/** The last path segment. */
export function baseName(path: string): string {
  return path.split("/").pop() ?? path;
}

/** The lower-case extension of a path's last segment ("" when it has none). */
export function extension(path: string): string {
  const name = baseName(path);
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : "";
}

/** The preview kind of an artifact by its name alone. */
export function previewKind(path: string): PreviewKind {
  const name = baseName(path);
  if (name === "MLmodel") return "mlmodel";
  if (TEXT_NAMES.has(name.toLowerCase())) return name.toLowerCase() === "mlproject" ? "yaml" : "text";
  const ext = extension(path);
  if (IMAGE.has(ext)) return "image";
  if (JSON_EXT.has(ext)) return "json";
  if (YAML.has(ext)) return "yaml";
  if (HTML.has(ext)) return "html";
  if (ext === "csv") return "csv";
  if (ext === "tsv" || ext === "tab") return "tsv";
  if (TEXT.has(ext)) return "text";
  return "unknown";
}

/** What the preview pane will do with a file. */
export interface PreviewPlan {
  kind: PreviewKind;
  /** Only the first `PREVIEW_LIMIT` bytes are read (and the preview says so). */
  partial: boolean;
  /** Too large to show at all (images over IMAGE_LIMIT): offer the download only. */
  tooLarge: boolean;
}

/**
 * How a file of that name and size is previewed. Text kinds larger than the limit are read from their first bytes;
 * a partial JSON or MLmodel file cannot be parsed, so it falls back to plain text.
 */
export function planPreview(path: string, size: number | undefined): PreviewPlan {
  let kind = previewKind(path);
  const bytes = size ?? 0;
  if (kind === "image") return { kind, partial: false, tooLarge: bytes > IMAGE_LIMIT };
  const partial = bytes > PREVIEW_LIMIT;
  if (partial && (kind === "json" || kind === "mlmodel")) kind = "text";
  return { kind, partial, tooLarge: false };
}

/** Whether a directory listing is a model directory (it holds an `MLmodel` file). */
export function isModelDir(files: readonly { path: string; is_dir: boolean }[]): boolean {
  return files.some((f) => !f.is_dir && baseName(f.path) === "MLmodel");
}

/**
 * Whether bytes look like binary data rather than text: a NUL byte, or many control characters, in the first 4 KB.
 * Used for files whose extension says nothing.
 */
export function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 4096);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i] as number;
    if (b === 0) return true;
    if (b < 9 || (b > 13 && b < 32)) control++;
  }
  return n > 0 && control / n > 0.1;
}
