import { inputHashOf, WRAPPED_OUTPUT_KEY } from "../datasets/record-values.js";
import { DATASET_SOURCE, EXPERIMENT_DESTINATION, newAssociationId } from "../store/dataset-rows.js";
import { type PyJson, pyJsonDumps, pyJsonLoads } from "../traces/py-json.js";
import type { ImportEvaluationDataset } from "./model.js";
import type { SinkTx } from "./sink-db.js";

/** A record's JSON value in Python's spelling, as the columns hold it (a whole float read as JSON comes back an int). */
const py = (v: unknown): PyJson => pyJsonLoads(JSON.stringify(v));
const dumps = (v: unknown): string | null => (v === null || v === undefined ? null : pyJsonDumps(py(v)));
const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/**
 * Writes a GenAI evaluation dataset: its row (schema, profile, digest, times and users as the source has them), its
 * tags (the `tags` field is a JSON object), its experiments, and every record (batch by batch, each keyed by its id and
 * the hash of its inputs as the store computes it). A dataset tracklite already holds is left alone.
 */
export async function writeEvaluationDataset(
  tx: SinkTx,
  { dataset, records }: ImportEvaluationDataset,
  experimentIds: string[],
  workspace = "default",
): Promise<{ records: number }> {
  const now = Date.now();
  const inserted = await tx.run(
    `INSERT INTO evaluation_datasets (dataset_id, workspace, name, schema, profile, digest, created_time,
       last_update_time, created_by, last_updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (dataset_id) DO NOTHING`,
    [
      dataset.dataset_id,
      workspace,
      dataset.name,
      dataset.schema ?? null,
      dataset.profile ?? null,
      dataset.digest ?? null,
      dataset.created_time ?? now,
      dataset.last_update_time ?? dataset.created_time ?? now,
      dataset.created_by ?? null,
      dataset.last_updated_by ?? null,
    ],
  );
  if (inserted === 0) return { records: 0 };
  const tags = dataset.tags ? (JSON.parse(dataset.tags) as Record<string, unknown>) : {};
  for (const [key, value] of Object.entries(tags)) {
    await tx.run("INSERT OR IGNORE INTO evaluation_dataset_tags (dataset_id, key, value) VALUES (?, ?, ?)", [
      dataset.dataset_id,
      key,
      typeof value === "string" ? value : JSON.stringify(value),
    ]);
  }
  for (const experimentId of experimentIds) {
    await tx.run(
      `INSERT OR IGNORE INTO entity_associations (association_id, source_type, source_id, destination_type,
         destination_id, created_time) VALUES (?, ?, ?, ?, ?, ?)`,
      [newAssociationId(), DATASET_SOURCE, dataset.dataset_id, EXPERIMENT_DESTINATION, experimentId, now],
    );
  }
  let count = 0;
  for await (const batch of records()) {
    for (const r of batch) {
      const inputs = py(r.inputs ?? {});
      const created = Number(r.created_time ?? now);
      await tx.run(
        `INSERT OR IGNORE INTO evaluation_dataset_records (dataset_record_id, dataset_id, inputs, outputs, expectations,
           tags, source, source_id, source_type, created_time, last_update_time, created_by, last_updated_by, input_hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          String(r.dataset_record_id),
          dataset.dataset_id,
          pyJsonDumps(inputs),
          r.outputs === undefined ? null : pyJsonDumps({ [WRAPPED_OUTPUT_KEY]: py(r.outputs) }),
          dumps(r.expectations),
          dumps(r.tags),
          dumps(r.source),
          text(r.source_id),
          text(r.source_type),
          created,
          Number(r.last_update_time ?? created),
          text(r.created_by),
          text(r.last_updated_by),
          inputHashOf(inputs),
        ],
      );
      count++;
    }
  }
  return { records: count };
}
