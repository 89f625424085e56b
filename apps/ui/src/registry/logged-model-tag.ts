/**
 * Reading a logged model's registrations: the MLflow 3 client tags a logged model with the versions registered from
 * it (`mlflow.modelVersions`), which MLflow's UI reads for its Models column and logged-model page.
 */
import type { LoggedModel } from "@tracklite/schemas";
import { href, seg } from "../router.js";

/** A registered version as a logged model's tag names it. */
export interface VersionRef {
  name: string;
  version: string;
}

/** The tag the MLflow 3 client sets on a logged model when it is registered. */
export const MODEL_VERSIONS_TAG = "mlflow.modelVersions";

/**
 * The versions of a logged model's `mlflow.modelVersions` tag (a JSON list of `{name, version}`). The client writes
 * an entry once with a numeric and once with a string version, so entries are deduplicated on their text.
 */
export function versionsFromTag(value: string | undefined): VersionRef[] {
  if (!value) return [];
  let list: unknown;
  try {
    list = JSON.parse(value);
  } catch {
    return [];
  }
  if (!Array.isArray(list)) return [];
  const seen = new Map<string, VersionRef>();
  for (const e of list as Record<string, unknown>[]) {
    const name = typeof e?.name === "string" ? e.name : "";
    const version = e?.version === undefined || e.version === null ? "" : String(e.version);
    if (name && version) seen.set(`${name}\u0000${version}`, { name, version });
  }
  return [...seen.values()];
}

/** A tag's value on a logged model. */
export const loggedModelTag = (m: LoggedModel | undefined, key: string) =>
  m?.info.tags?.find((t) => t.key === key)?.value;

/** The versions a logged model's tag names. */
export const taggedVersions = (m: LoggedModel | undefined) => versionsFromTag(loggedModelTag(m, MODEL_VERSIONS_TAG));

/** The logged-model page of a model (MLflow's path: `#/experiments/:id/models/:modelId`). */
export const loggedModelHref = (experimentId: string, modelId: string) =>
  href(`/experiments/${seg(experimentId)}/models/${seg(modelId)}`);

/** A registered version's page. */
export const versionHref = (name: string, version: string) => href(`/models/${seg(name)}/versions/${seg(version)}`);
