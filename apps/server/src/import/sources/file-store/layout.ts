/**
 * The FileStore's folder layout and the few ways MLflow reads it: YAML meta files, "one file per key" folders.
 * @see mlflow/store/tracking/file_store.py, mlflow/store/model_registry/file_store.py (both pins: 2.x and 3.x)
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { SkippedItem } from "@tracklite/server/import";
import { parse } from "yaml";

export const TRASH = ".trash";

/** Where readers report what they leave out (the source keeps each item once, however often it is read). */
export interface Skips {
  push(item: SkippedItem): void;
}
export const META = "meta.yaml";
/** Folders of an experiment that are not runs (FileStore.RESERVED_EXPERIMENT_FOLDERS). */
export const RESERVED_EXPERIMENT_FOLDERS = new Set(["tags", "datasets", "traces", "models"]);

/**
 * The `mlruns` folder of SOURCE: the folder itself, a `file:` URI of it, or a folder holding `mlruns/`
 * (as the reference's `mlflow migrate-filestore --source` accepts).
 */
export function resolveMlruns(folder: string): string {
  const path = folder.startsWith("file:") ? fileURLToPath(new URL(folder)) : folder;
  if (!isDir(path)) throw new Error(`${folder} is not a folder.`);
  const nested = join(path, "mlruns");
  if (isDir(nested)) return nested;
  if (isDir(join(path, TRASH)) || isDir(join(path, "models")) || hasExperimentFolder(path)) return path;
  throw new Error(
    `${folder} is not an MLflow FileStore folder (it has no mlruns/, .trash/, models/ or <experiment id>/meta.yaml).`,
  );
}

/** Is there a `<number>/meta.yaml` in `path` (an experiment folder)? */
function hasExperimentFolder(path: string): boolean {
  try {
    return readdirSync(path).some((name) => /^\d+$/.test(name) && existsSync(join(path, name, META)));
  } catch {
    return false;
  }
}

export function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Names of the sub-folders of `path`, sorted (so that every listing is stable); none when it does not exist. */
export async function subdirs(path: string): Promise<string[]> {
  try {
    const entries = await readdir(path, { withFileTypes: true });
    return entries
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

/**
 * A YAML file as PyYAML's `safe_load` reads it (YAML 1.1: `yes` is a boolean, `0o17` a string), or undefined when
 * missing or empty. MLflow writes these with `yaml.safe_dump`.
 */
export async function readYaml(dir: string, name = META): Promise<Record<string, unknown> | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, name), "utf8");
  } catch {
    return undefined;
  }
  const value: unknown = parse(text, { version: "1.1" });
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/**
 * A "one file per key" folder (params/, tags/, aliases/…): key = the file's path under the folder (keys may hold
 * `/`), value = its whole content, untouched (MLflow reads it with `codecs.open`, which translates no newlines).
 * Sorted by key.
 */
export async function readKeyValueFolder(dir: string): Promise<{ key: string; value: string }[]> {
  let names: string[];
  try {
    names = await readdir(dir, { recursive: true });
  } catch {
    return [];
  }
  const out: { key: string; value: string }[] = [];
  for (const name of names.sort()) {
    const path = join(dir, name);
    if (!statSync(path).isFile()) continue;
    out.push({ key: name.split("\\").join("/"), value: await readFile(path, "utf8") });
  }
  return out;
}

/** Relative paths of every file under `dir` (metric files: the path is the metric key), sorted. */
export async function filesUnder(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir, { recursive: true });
  } catch {
    return [];
  }
  return names.filter((n) => statSync(join(dir, n)).isFile()).sort();
}

/** A YAML scalar as MLflow's entities take it: numbers and strings as they are, null/absent as undefined. */
export function str(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  return typeof value === "string" ? value : String(value);
}

export function num(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}
