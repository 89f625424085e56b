import type { Experiment } from "@tracklite/schemas";
import type { ImportFilter } from "@tracklite/server/import";
import type { SqlConnection, SqlRow } from "./connection.js";
import type { SchemaInfo } from "./schema-info.js";
import { compact, num, text } from "./values.js";

/** Experiments per streamed batch: each batch fetches its tags in one query. */
const BATCH = 200;

/** Does the `--experiments` filter pick this experiment (by id or name)? */
export function picks(filter: ImportFilter, id: string, name: string): boolean {
  return filter.experiments === undefined || filter.experiments.includes(id) || filter.experiments.includes(name);
}

/** Every experiment (all lifecycle stages) with its tags, as `SqlExperiment.to_mlflow_entity().to_proto()`. */
export async function* readExperiments(
  db: SqlConnection,
  schema: SchemaInfo,
  filter: ImportFilter,
): AsyncIterable<Experiment> {
  const optional = ["creation_time", "last_update_time", "workspace"].filter((c) => schema.has("experiments", c));
  const columns = ["experiment_id", "name", "artifact_location", "lifecycle_stage", ...optional].join(", ");
  const sql = `SELECT ${columns} FROM experiments ORDER BY experiment_id`;
  for await (const rows of db.iterate(sql, [], BATCH)) {
    const picked = rows.filter((row) => picks(filter, String(row.experiment_id), String(row.name)));
    if (picked.length === 0) continue;
    const tags = await tagsByExperiment(
      db,
      picked.map((row) => num(row.experiment_id) as number),
    );
    for (const row of picked) yield toExperiment(row, tags.get(String(row.experiment_id)) ?? []);
  }
}

function toExperiment(row: SqlRow, tags: { key: string; value: string }[]): Experiment {
  const experiment: Experiment = compact({
    experiment_id: String(row.experiment_id),
    name: String(row.name),
    artifact_location: text(row.artifact_location),
    lifecycle_stage: text(row.lifecycle_stage) ?? "active",
    last_update_time: num(row.last_update_time),
    creation_time: num(row.creation_time),
    workspace: text(row.workspace),
  });
  if (tags.length > 0) experiment.tags = tags;
  return experiment;
}

async function tagsByExperiment(
  db: SqlConnection,
  ids: number[],
): Promise<Map<string, { key: string; value: string }[]>> {
  const out = new Map<string, { key: string; value: string }[]>();
  const rows = await db.all(
    `SELECT experiment_id, "key", "value" FROM experiment_tags WHERE experiment_id IN (${ids.map(() => "?").join(", ")})`,
    ids,
  );
  for (const row of rows) {
    const id = String(row.experiment_id);
    const list = out.get(id) ?? [];
    list.push({ key: String(row.key), value: text(row.value) ?? "" });
    out.set(id, list);
  }
  return out;
}

/** How many experiments the filter picks (for the progress bar's total). */
export async function countExperiments(db: SqlConnection, filter: ImportFilter): Promise<number> {
  if (filter.experiments === undefined) {
    const rows = await db.all("SELECT COUNT(*) AS n FROM experiments", []);
    return Number(rows[0]?.n ?? 0);
  }
  let n = 0;
  for await (const rows of db.iterate("SELECT experiment_id, name FROM experiments", [], 1000)) {
    for (const row of rows) if (picks(filter, String(row.experiment_id), String(row.name))) n++;
  }
  return n;
}
