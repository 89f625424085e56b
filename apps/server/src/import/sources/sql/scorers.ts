/**
 * Scorers (MLflow 3) of one experiment with every version, as list-scorer-versions answers them
 * (`ScorerVersion.to_proto`: the experiment id as an int, the serialized scorer re-dumped by Python's `json.dumps`).
 * @see mlflow/store/tracking/dbmodels/models.py SqlScorerVersion; mlflow/entities/scorer.py
 */
import type { ScorerWire } from "@tracklite/schemas";
import { type ImportScorer, pyJsonDumps, pyJsonLoads } from "@tracklite/server/import";
import type { SqlConnection } from "./connection.js";
import type { SchemaInfo } from "./schema-info.js";
import { num, text } from "./values.js";

/** The stored JSON as Python re-dumps it; a text that is no JSON stays as it is. */
function redumped(serialized: string): string {
  const value = pyJsonLoads(serialized);
  return value === undefined ? serialized : pyJsonDumps(value, true);
}

export async function* readScorers(
  db: SqlConnection,
  schema: SchemaInfo,
  experimentId: string,
): AsyncIterable<ImportScorer> {
  if (!schema.has("scorers") || !schema.has("scorer_versions")) return;
  const scorers = await db.all(
    "SELECT scorer_id, scorer_name FROM scorers WHERE experiment_id = ? ORDER BY scorer_name",
    [Number(experimentId)],
  );
  for (const scorer of scorers) {
    const rows = await db.all(
      "SELECT scorer_version, serialized_scorer, creation_time FROM scorer_versions WHERE scorer_id = ? ORDER BY scorer_version",
      [scorer.scorer_id],
    );
    const versions = rows.map(
      (row) =>
        ({
          experiment_id: Number(experimentId),
          scorer_name: String(scorer.scorer_name),
          scorer_version: num(row.scorer_version) ?? 0,
          serialized_scorer: redumped(text(row.serialized_scorer) ?? ""),
          creation_time: num(row.creation_time) ?? 0,
          scorer_id: String(scorer.scorer_id),
        }) as unknown as ScorerWire,
    );
    yield { experiment_id: experimentId, versions };
  }
}
