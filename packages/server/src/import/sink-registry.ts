import type { ImportRegisteredModel } from "./model.js";
import type { SinkTx } from "./sink-db.js";

/**
 * Writes a registered model or prompt (prompts are registered models whose `mlflow.prompt.is_prompt` tag says so,
 * as in the reference: the tag comes across with the others) with every version, its tags and aliases. Versions keep
 * their numbers, stages (`Deleted_Internal` for a version deleted in the source), times and sources; a version
 * tracklite already holds under that number is left as it is.
 */
export async function writeRegisteredModel(
  tx: SinkTx,
  { model, versions, version_storage_locations }: ImportRegisteredModel,
  storageUri: (uri: string, version: string) => string,
  workspace = "default",
): Promise<void> {
  const created = model.creation_timestamp ?? Date.now();
  await tx.run(
    `INSERT INTO registered_models (name, creation_time, last_updated_time, description, workspace) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (workspace, name) DO NOTHING`,
    [model.name, created, model.last_updated_timestamp ?? created, model.description ?? null, workspace],
  );
  const [row] = await tx.all<{ id: number }>("SELECT id FROM registered_models WHERE workspace = ? AND name = ?", [
    workspace,
    model.name,
  ]);
  const modelRow = Number(row?.id);
  for (const t of model.tags ?? []) {
    await tx.run("INSERT OR IGNORE INTO registered_model_tags (model_id, key, value) VALUES (?, ?, ?)", [
      modelRow,
      t.key,
      t.value ?? "",
    ]);
  }
  // Versions in number order, so that their rows (and tags) read back in the order the reference made them.
  const ordered = [...versions].sort((a, b) => Number(a.version) - Number(b.version));
  for (const v of ordered) {
    const stored = version_storage_locations?.[v.version];
    const [inserted] = await tx.all<{ id: number }>(
      `INSERT INTO model_versions (model_id, version, creation_time, last_updated_time, description, user_id,
         current_stage, source, storage_location, run_id, run_link, status, status_message)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (model_id, version) DO NOTHING RETURNING id`,
      [
        modelRow,
        Number(v.version),
        v.creation_timestamp,
        v.last_updated_timestamp ?? v.creation_timestamp,
        v.description ?? null,
        v.user_id ?? null,
        v.current_stage ?? "None",
        v.source ?? null,
        stored ? storageUri(stored, v.version) : null,
        v.run_id ?? null,
        v.run_link ?? null,
        v.status ?? "READY",
        v.status_message ?? null,
      ],
    );
    if (!inserted) continue;
    for (const t of v.tags ?? []) {
      await tx.run("INSERT OR IGNORE INTO model_version_tags (version_id, key, value) VALUES (?, ?, ?)", [
        inserted.id,
        t.key,
        t.value ?? "",
      ]);
    }
  }
  const aliases = new Map<string, string>();
  for (const v of ordered) for (const a of v.aliases ?? []) aliases.set(a, v.version);
  for (const a of model.aliases ?? []) aliases.set(a.alias, a.version);
  for (const [alias, version] of aliases) {
    await tx.run("INSERT OR IGNORE INTO registered_model_aliases (model_id, alias, version) VALUES (?, ?, ?)", [
      modelRow,
      alias,
      Number(version),
    ]);
  }
}
