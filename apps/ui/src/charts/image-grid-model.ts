/**
 * What `<tl-image-grid>` shows, as plain data: its columns and, per run, the image of each column. Pure, so the
 * choice of image per run and step is tested in Node.
 */
import { imageAtStep, type LoggedImage, stepsOf } from "./logged-images.js";

/** Logged images (`log_image(key=…)`) or image files among the run's artifacts. */
export type ImageGridMode = "logged" | "artifacts";
/** Logged mode: a column per key at the slider's step, or a column per step of one key. */
export type ImageGridAcross = "keys" | "steps";

/** One run's images as loaded. */
export interface RunImageData {
  logged: Map<string, LoggedImage[]>;
  /** Image artifact paths (artifacts mode only; empty otherwise). */
  files: string[];
}

/** One cell's image. */
export interface GridImage {
  /** Run-relative path of the full-size file (the lightbox's). */
  path: string;
  /** Run-relative path of the small file the cell shows (the thumbnail when logged with one). */
  thumbnail: string;
  /** Logged images: their key, step and time. */
  key?: string;
  step?: number;
  timestamp?: number;
}

export interface GridColumn {
  id: string;
  label: string;
}

export interface GridModel {
  columns: GridColumn[];
  /** Per run (in the order given): per column, its image or undefined (none logged / not loaded). */
  cells: (GridImage | undefined)[][];
  /** Logged mode, across keys: the steps the slider moves over (ascending); otherwise empty. */
  steps: number[];
  /** The step shown (the one asked for, else the last one); undefined without steps. */
  step: number | undefined;
  /** Every key the runs logged and every image file they have (for pickers). */
  allKeys: string[];
  allFiles: string[];
}

export interface GridOptions {
  mode: ImageGridMode;
  across: ImageGridAcross;
  /** The keys (logged) or paths (artifacts) to show; undefined: all there are. */
  keys: readonly string[] | undefined;
  files: readonly string[] | undefined;
  step: number | undefined;
  /** Across steps: at most this many step columns (evenly picked, the first and last always kept). */
  maxSteps: number;
}

const toImage = (i: LoggedImage | undefined): GridImage | undefined => {
  const path = i?.path ?? i?.thumbnail;
  if (!i || !path) return undefined;
  return { path, thumbnail: i.thumbnail ?? path, key: i.key, step: i.step, timestamp: i.timestamp };
};

/** At most `n` of `list`, evenly spread, keeping the first and the last. */
export function spread<T>(list: readonly T[], n: number): T[] {
  if (list.length <= n) return [...list];
  if (n <= 1) return list.slice(-1);
  return Array.from({ length: n }, (_, i) => list[Math.round((i * (list.length - 1)) / (n - 1))] as T);
}

/** The grid for runs' data (undefined for a run still loading or failed: its cells are empty). */
export function gridModel(data: readonly (RunImageData | undefined)[], o: GridOptions): GridModel {
  const allKeys = [...new Set(data.flatMap((d) => [...(d?.logged.keys() ?? [])]))].sort();
  const allFiles = [...new Set(data.flatMap((d) => d?.files ?? []))].sort();
  if (o.mode === "artifacts") {
    const files = o.files ? o.files.filter((f) => allFiles.includes(f)) : allFiles;
    return {
      columns: files.map((f) => ({ id: f, label: f })),
      cells: data.map((d) => files.map((f) => (d?.files.includes(f) ? { path: f, thumbnail: f } : undefined))),
      steps: [],
      step: undefined,
      allKeys,
      allFiles,
    };
  }
  const keys = o.keys ? o.keys.filter((k) => allKeys.includes(k)) : allKeys;
  if (o.across === "steps") {
    const key = keys[0];
    const lists = data.map((d) => (key === undefined ? undefined : d?.logged.get(key)));
    const steps = spread(stepsOf(lists), o.maxSteps);
    return {
      columns: steps.map((s) => ({ id: String(s), label: `Step ${s}` })),
      cells: lists.map((list) => steps.map((s) => toImage(list?.filter((i) => i.step === s).at(-1)))),
      steps: [],
      step: undefined,
      allKeys,
      allFiles,
    };
  }
  const steps = stepsOf(data.flatMap((d) => keys.map((k) => d?.logged.get(k))));
  const step = o.step !== undefined && steps.length ? o.step : steps.at(-1);
  return {
    columns: keys.map((k) => ({ id: k, label: k })),
    cells: data.map((d) =>
      keys.map((k) => (step === undefined ? undefined : toImage(imageAtStep(d?.logged.get(k), step)))),
    ),
    steps,
    step,
    allKeys,
    allFiles,
  };
}
