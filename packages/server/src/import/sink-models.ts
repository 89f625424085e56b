import { LOGGED_MODEL_STATUSES } from "@tracklite/schemas";
import type { ImportLoggedModel } from "./model.js";
import type { SinkTx } from "./sink-db.js";

/** A REST double (a number, or the strings "NaN", "Infinity", "-Infinity") as a number. */
export function fromWire(v: unknown): number {
  if (typeof v === "number") return v;
  if (v === "NaN") return Number.NaN;
  if (v === "Infinity") return Number.POSITIVE_INFINITY;
  if (v === "-Infinity") return Number.NEGATIVE_INFINITY;
  return Number(v);
}

/**
 * Writes a logged model with its params, tags and metrics (its own list, as get-logged-model answers it: every
 * point logged with its id, by any run). Points of runs imported before the model was are already in the run's
 * history and are added from there too by the run's write; both are idempotent, so the order does not matter.
 * Nothing is written when tracklite already holds a model with this id.
 */
export async function writeLoggedModel(
  tx: SinkTx,
  experimentId: number,
  { model, deleted }: ImportLoggedModel,
  artifactUri: string,
): Promise<void> {
  const info = model.info;
  const status = Math.max(0, LOGGED_MODEL_STATUSES.indexOf(info.status));
  const [row] = await tx.all<{ id: number }>(
    `INSERT INTO logged_models (model_id, experiment_id, name, artifact_location, creation_timestamp_ms,
       last_updated_timestamp_ms, status, lifecycle_stage, model_type, source_run_id, status_message)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (model_id) DO NOTHING RETURNING id`,
    [
      info.model_id,
      experimentId,
      info.name,
      artifactUri,
      info.creation_timestamp_ms,
      info.last_updated_timestamp_ms ?? info.creation_timestamp_ms,
      status,
      deleted ? "deleted" : "active",
      info.model_type ?? null,
      info.source_run_id ?? null,
      info.status_message ?? null,
    ],
  );
  if (!row) return;
  const id = Number(row.id);
  for (const p of model.data.params ?? []) {
    await tx.run("INSERT OR IGNORE INTO logged_model_params (model_id, key, value) VALUES (?, ?, ?)", [
      id,
      p.key,
      p.value,
    ]);
  }
  for (const t of info.tags ?? []) {
    await tx.run("INSERT OR IGNORE INTO logged_model_tags (model_id, key, value) VALUES (?, ?, ?)", [
      id,
      t.key,
      t.value,
    ]);
  }
  for (const m of model.data.metrics ?? []) {
    const value = fromWire(m.value);
    const nan = Number.isNaN(value);
    // The run's row id; a point of a run that did not come across (deleted for good, filtered out) is dropped.
    await tx.run(
      `INSERT OR IGNORE INTO logged_model_metrics (model_id, key, timestamp, step, run_id, value, is_nan, dataset_name, dataset_digest)
       SELECT ?, ?, ?, ?, r.id, ?, ?, ?, ? FROM runs r WHERE r.run_uuid = ?`,
      [
        id,
        m.key,
        m.timestamp,
        m.step,
        nan ? 0 : value,
        nan ? 1 : 0,
        m.dataset_name ?? null,
        m.dataset_digest ?? null,
        m.run_id ?? info.source_run_id ?? "",
      ],
    );
  }
}
