import type { Experiment } from "@tracklite/schemas";
import type { SinkTx } from "./sink-db.js";

/** The id-map kind of experiments (table import_id_map). */
export const EXPERIMENT_KIND = "experiment";

/**
 * Writes one source experiment and returns the tracklite id it lives under. In order: an id this import mapped
 * before; the source's own id when it is free (or already holds an experiment of the same name: a second import, or
 * the Default experiment a tracklite server made); else the experiment of the same name, if any; else a fresh id,
 * remembered in import_id_map so that a resumed import puts the runs where the first one put the experiment. Tags
 * are added where missing; an existing experiment's own fields are left as they are.
 */
export async function writeExperiment(tx: SinkTx, e: Experiment): Promise<string> {
  const workspace = e.workspace ?? "default";
  const [mapped] = await tx.all<{ target_id: string }>(
    "SELECT target_id FROM import_id_map WHERE kind = ? AND source_id = ?",
    [EXPERIMENT_KIND, e.experiment_id],
  );
  let target = mapped ? Number(mapped.target_id) : undefined;
  const sourceId = Number(e.experiment_id);
  if (target === undefined) {
    const [byId] = await tx.all<{ name: string; workspace: string }>(
      "SELECT name, workspace FROM experiments WHERE experiment_id = ?",
      [sourceId],
    );
    const [byName] = await tx.all<{ experiment_id: number }>(
      "SELECT experiment_id FROM experiments WHERE workspace = ? AND name = ?",
      [workspace, e.name],
    );
    if (byId && byId.name === e.name && byId.workspace === workspace) target = sourceId;
    else if (byName) target = Number(byName.experiment_id);
    else if (!byId && Number.isSafeInteger(sourceId)) {
      target = sourceId;
      await insert(tx, e, sourceId, workspace);
    } else {
      const [row] = await tx.all<{ id: number }>("SELECT coalesce(max(experiment_id), 0) + 1 AS id FROM experiments");
      target = Number(row?.id);
      await insert(tx, e, target, workspace);
    }
    if (target !== sourceId) {
      await tx.run("INSERT OR IGNORE INTO import_id_map (kind, source_id, target_id) VALUES (?, ?, ?)", [
        EXPERIMENT_KIND,
        e.experiment_id,
        String(target),
      ]);
    }
  }
  for (const t of e.tags ?? []) {
    await tx.run("INSERT OR IGNORE INTO experiment_tags (experiment_id, key, value) VALUES (?, ?, ?)", [
      target,
      t.key,
      t.value,
    ]);
  }
  return String(target);
}

async function insert(tx: SinkTx, e: Experiment, id: number, workspace: string): Promise<void> {
  const created = e.creation_time ?? e.last_update_time ?? Date.now();
  await tx.run(
    `INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time, workspace)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
    [
      id,
      e.name,
      e.artifact_location ?? "",
      e.lifecycle_stage || "active",
      created,
      e.last_update_time ?? created,
      workspace,
    ],
  );
}
