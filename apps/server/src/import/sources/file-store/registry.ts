/**
 * The model registry of a FileStore: `mlruns/models/<name>/meta.yaml` with `tags/<key>`, `aliases/<alias>` (holding
 * the version number) and `version-<n>/meta.yaml` with `tags/<key>`. Prompts are registered models tagged
 * `mlflow.prompt.is_prompt` and come across the same way. A deleted version stays with stage `Deleted_Internal`, as a
 * database keeps it. `latest_versions` is left out: it is derived from the versions.
 * @see mlflow/store/model_registry/file_store.py _get_registered_model_from_path, _get_file_model_version_from_dir
 */
import { join } from "node:path";
import { MODEL_VERSION_STATUSES, type ModelVersion, type RegisteredModel } from "@tracklite/schemas";
import type { ImportRegisteredModel } from "@tracklite/server/import";
import { num, readKeyValueFolder, readYaml, type Skips, str, subdirs } from "./layout.js";

/** Every registered model (and prompt) under `<root>/models`, with all its versions, in name order. */
export async function* readRegisteredModels(root: string, skipped: Skips): AsyncGenerator<ImportRegisteredModel> {
  const modelsDir = join(root, "models");
  for (const folder of await subdirs(modelsDir)) {
    const modelDir = join(modelsDir, folder);
    const meta = await readYaml(modelDir);
    if (meta === undefined) {
      skipped.push({ what: `registered model folder ${modelDir}`, reason: "no meta.yaml" });
      continue;
    }
    // The name meta.yaml holds (RegisteredModel.from_dictionary); the folder's when it holds none (migrate-filestore).
    const name = str(meta.name) ?? folder;
    const model: RegisteredModel = { name };
    const creation = num(meta.creation_timestamp);
    if (creation !== undefined) model.creation_timestamp = creation;
    const updated = num(meta.last_updated_timestamp);
    if (updated !== undefined) model.last_updated_timestamp = updated;
    const userId = str(meta.user_id);
    if (userId !== undefined) model.user_id = userId;
    const description = str(meta.description);
    if (description !== undefined) model.description = description;
    const tags = await readKeyValueFolder(join(modelDir, "tags"));
    if (tags.length > 0) model.tags = tags;
    // An alias file holds the version number (FileStore.set_registered_model_alias writes str(version)).
    const aliases = (await readKeyValueFolder(join(modelDir, "aliases"))).map((a) => ({
      alias: a.key,
      version: a.value.trim(),
    }));
    if (aliases.length > 0) model.aliases = aliases;

    const imported: ImportRegisteredModel = { model, versions: [] };
    const versionDirs = (await subdirs(modelDir)).filter((n) => n.startsWith("version-"));
    const versions: { n: number; version: ModelVersion; modelId?: string; storage?: string }[] = [];
    for (const vdir of versionDirs) {
      const vmeta = await readYaml(join(modelDir, vdir));
      const number = num(vmeta?.version);
      if (vmeta === undefined || number === undefined) {
        skipped.push({ what: `model version folder ${join(modelDir, vdir)}`, reason: "no readable meta.yaml" });
        continue;
      }
      const version = readVersion(name, String(number), vmeta);
      const vtags = await readKeyValueFolder(join(modelDir, vdir, "tags"));
      if (vtags.length > 0) version.tags = vtags;
      const versionAliases = aliases.filter((a) => a.version === String(number)).map((a) => a.alias);
      if (versionAliases.length > 0) version.aliases = versionAliases;
      versions.push({
        n: number,
        version,
        modelId: str(vmeta.model_id),
        storage: str(vmeta.storage_location),
      });
    }
    versions.sort((a, b) => a.n - b.n);
    for (const v of versions) {
      imported.versions.push(v.version);
      if (v.modelId !== undefined) {
        imported.version_model_ids ??= {};
        imported.version_model_ids[v.version.version] = v.modelId;
      }
      if (v.storage !== undefined) {
        imported.version_storage_locations ??= {};
        imported.version_storage_locations[v.version.version] = v.storage;
      }
    }
    yield imported;
  }
}

function readVersion(name: string, version: string, meta: Record<string, unknown>): ModelVersion {
  const out: ModelVersion = { name, version, creation_timestamp: num(meta.creation_timestamp) ?? 0 };
  const updated = num(meta.last_updated_timestamp);
  if (updated !== undefined) out.last_updated_timestamp = updated;
  for (const field of [
    "user_id",
    "current_stage",
    "description",
    "source",
    "run_id",
    "status_message",
    "run_link",
  ] as const) {
    const value = str(meta[field]);
    if (value !== undefined) out[field] = value;
  }
  const status = str(meta.status);
  if (status !== undefined && (MODEL_VERSION_STATUSES as readonly string[]).includes(status)) {
    out.status = status as ModelVersion["status"];
  }
  return out;
}
