import { randomUUID } from "node:crypto";
import type { ImportScorer } from "./model.js";
import type { SinkTx } from "./sink-db.js";

/**
 * Writes a registered scorer and its versions (numbers, serialized form and times kept). The scorer keeps the
 * source's id when it has one and tracklite holds no scorer of that name in the experiment; a version already there is
 * left alone.
 */
export async function writeScorer(tx: SinkTx, experimentId: number, { versions }: ImportScorer): Promise<void> {
  const first = versions[0];
  if (!first) return;
  await tx.run("INSERT OR IGNORE INTO scorers (scorer_id, experiment_id, scorer_name) VALUES (?, ?, ?)", [
    first.scorer_id ?? randomUUID(),
    experimentId,
    first.scorer_name,
  ]);
  const [row] = await tx.all<{ scorer_id: string }>(
    "SELECT scorer_id FROM scorers WHERE experiment_id = ? AND scorer_name = ?",
    [experimentId, first.scorer_name],
  );
  for (const v of versions) {
    await tx.run(
      `INSERT OR IGNORE INTO scorer_versions (scorer_id, scorer_version, serialized_scorer, creation_time)
       VALUES (?, ?, ?, ?)`,
      [row?.scorer_id ?? null, v.scorer_version, v.serialized_scorer, v.creation_time],
    );
  }
}
