import type { Run } from "@tracklite/schemas";
import { chunkPointRows, type Row } from "../store/metric-conversion.js";
import type { ImportRun, MetricPoint } from "./model.js";
import { IMPORT_POINTS, type SinkTx } from "./sink-db.js";

/**
 * Writes one run with its params, tags, inputs, outputs and whole metric history inside the caller's transaction.
 * Returns undefined (and writes nothing) when tracklite already holds a run with this id.
 */
export async function writeRun(
  tx: SinkTx,
  experimentId: number,
  { run, deleted_time }: ImportRun,
  history: AsyncIterable<MetricPoint[]>,
  artifactUri: string,
): Promise<{ points: number } | undefined> {
  const info = run.info;
  const runUuid = info.run_id || info.run_uuid;
  const [existing] = await tx.all<{ id: number }>("SELECT id FROM runs WHERE run_uuid = ?", [runUuid]);
  if (existing) return undefined;
  const tags = run.data.tags ?? [];
  const name = info.run_name ?? tags.find((t) => t.key === "mlflow.runName")?.value ?? "";
  const deleted = info.lifecycle_stage === "deleted";
  const [row] = await tx.all<{ id: number }>(
    `INSERT INTO runs (run_uuid, experiment_id, name, user_id, status, start_time, end_time, lifecycle_stage, artifact_uri, deleted_time)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    [
      runUuid,
      experimentId,
      name,
      info.user_id ?? "",
      info.status,
      info.start_time ?? 0,
      info.end_time ?? null,
      info.lifecycle_stage || "active",
      artifactUri,
      deleted ? (deleted_time ?? null) : null,
    ],
  );
  const runRowId = Number(row?.id);
  // Children in the source's order: tracklite reads them back in rowid order, as they were written.
  for (const p of run.data.params ?? []) {
    await tx.run("INSERT OR IGNORE INTO params (run_id, key, value) VALUES (?, ?, ?)", [runRowId, p.key, p.value]);
  }
  for (const t of tags) {
    await tx.run("INSERT OR IGNORE INTO tags (run_id, key, value) VALUES (?, ?, ?)", [runRowId, t.key, t.value]);
  }
  await writeInputs(tx, experimentId, runRowId, run);
  const points = await writeHistory(tx, runRowId, run, history);
  return { points };
}

async function writeInputs(tx: SinkTx, experimentId: number, runRowId: number, run: Run): Promise<void> {
  let position = 0;
  for (const input of run.inputs?.dataset_inputs ?? []) {
    const ds = input.dataset;
    await tx.run(
      `INSERT INTO datasets (experiment_id, name, digest, source_type, source, schema, profile) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (experiment_id, name, digest) DO NOTHING`,
      [experimentId, ds.name, ds.digest, ds.source_type, ds.source, ds.schema ?? null, ds.profile ?? null],
    );
    const [d] = await tx.all<{ id: number }>(
      "SELECT id FROM datasets WHERE experiment_id = ? AND name = ? AND digest = ?",
      [experimentId, ds.name, ds.digest],
    );
    const added = await tx.run(
      "INSERT OR IGNORE INTO run_dataset_inputs (run_id, dataset_id, position) VALUES (?, ?, ?)",
      [runRowId, d?.id ?? null, position],
    );
    if (added === 0) continue;
    position++;
    for (const t of input.tags ?? []) {
      await tx.run(
        "INSERT OR IGNORE INTO run_dataset_input_tags (run_id, dataset_id, key, value) VALUES (?, ?, ?, ?)",
        [runRowId, d?.id ?? null, t.key, t.value],
      );
    }
  }
  for (const m of run.inputs?.model_inputs ?? []) {
    await tx.run("INSERT OR IGNORE INTO run_model_inputs (run_id, model_id) VALUES (?, ?)", [runRowId, m.model_id]);
  }
  for (const m of run.outputs?.model_outputs ?? []) {
    await tx.run("INSERT OR IGNORE INTO run_model_outputs (run_id, model_id, step) VALUES (?, ?, ?)", [
      runRowId,
      m.model_id,
      m.step,
    ]);
  }
}

/**
 * Streams the history into the staging table IMPORT_POINTS, then derives what log-batch would have left for the same
 * points logged at once: per key the latest point (highest step, timestamp, value), in the order keys were first seen; and the points logged with a model id, as that
 * model's metrics when the model is already there (a model imported later adds them from its own metrics); then writes
 * the staged points as chunks, sorted and each once, and clears the staging table.
 * @see ../store/metric-sql.ts metricStatements, the normal write path this matches
 */
async function writeHistory(
  tx: SinkTx,
  runRowId: number,
  run: Run,
  history: AsyncIterable<MetricPoint[]>,
): Promise<number> {
  const keys = new Map<string, number>();
  for (const m of run.data.metrics ?? []) if (!keys.has(m.key)) keys.set(m.key, keys.size);
  let points = 0;
  let withModel = false;
  for await (const batch of history) {
    points += batch.length;
    let last = "";
    for (const p of batch) {
      if (p.key !== last) {
        if (!keys.has(p.key)) keys.set(p.key, keys.size);
        last = p.key;
      }
      if (p.model_id) withModel = true;
    }
    await tx.metrics(runRowId, batch);
  }
  if (points === 0) return 0;
  // Per key, the latest point by a reverse seek on the key, in the order keys were first seen.
  await tx.run(
    `INSERT INTO latest_metrics (run_id, key, step, timestamp, value, is_nan, dataset_name, dataset_digest, model_id)
     SELECT l.run_id, l.key, l.step, l.timestamp, l.value, l.is_nan, l.dataset_name, l.dataset_digest, l.model_id
     FROM (SELECT DISTINCT key FROM ${IMPORT_POINTS} WHERE run_id = ?1) AS k
     JOIN ${IMPORT_POINTS} l ON l.run_id = ?1 AND l.key = k.key
       AND (l.step, l.timestamp, l.value) = (SELECT step, timestamp, value FROM ${IMPORT_POINTS}
                                            WHERE run_id = ?1 AND key = k.key
                                            ORDER BY step DESC, timestamp DESC, value DESC LIMIT 1)
     LEFT JOIN json_each(?2) o ON o.value = k.key
     GROUP BY k.key ORDER BY o.key
     ON CONFLICT (run_id, key) DO NOTHING`,
    [runRowId, JSON.stringify([...keys.keys()])],
  );
  if (withModel) {
    await tx.run(
      `INSERT OR IGNORE INTO logged_model_metrics (model_id, key, timestamp, step, run_id, value, is_nan, dataset_name, dataset_digest)
       SELECT lm.id, m.key, m.timestamp, m.step, m.run_id, m.value, m.is_nan, m.dataset_name, m.dataset_digest
       FROM ${IMPORT_POINTS} m JOIN logged_models lm ON lm.model_id = m.model_id WHERE m.run_id = ? AND m.model_id IS NOT NULL`,
      [runRowId],
    );
  }
  await chunkPointRows(
    (sql, args) => tx.all<Row>(sql, args),
    async (stmt) => {
      await tx.run(stmt.sql, stmt.args);
    },
    IMPORT_POINTS,
    runRowId,
  );
  await tx.run(`DELETE FROM ${IMPORT_POINTS} WHERE run_id = ?`, [runRowId]);
  return points;
}
