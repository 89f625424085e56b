import type { EvaluationDataset } from "@tracklite/schemas";
import { type JsonObject, parseJsonObject } from "./json-object.js";

/** An evaluation dataset with its JSON text fields read. */
export interface DatasetView {
  dataset: EvaluationDataset;
  tags: Record<string, string>;
  /** From `profile.num_records`; undefined when the server has no profile (no records yet, or all deleted). */
  recordCount: number | undefined;
  /** The field types of inputs, outputs and expectations, from `schema`. */
  schema: JsonObject;
}

/** Reads a dataset's tags, profile and schema. */
export function datasetView(dataset: EvaluationDataset): DatasetView {
  const tags = Object.fromEntries(
    Object.entries(parseJsonObject(dataset.tags)).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
  );
  const n = parseJsonObject(dataset.profile).num_records;
  return {
    dataset,
    tags,
    recordCount: typeof n === "number" ? n : undefined,
    schema: parseJsonObject(dataset.schema),
  };
}
