import { parseJson } from "./transport.js";

/**
 * The records of GenAI evaluation datasets: a page of them travels as a JSON list in text.
 * @see mlflow/entities/dataset_record.py DatasetRecord.to_dict
 */

/** A JSON object's members. */
type JsonObject = Record<string, unknown>;

const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

/** One record of an evaluation dataset, as `DatasetRecord.to_dict()` writes it. */
export interface DatasetRecord {
  dataset_record_id: string;
  dataset_id: string;
  inputs: JsonObject;
  expectations?: JsonObject;
  outputs?: unknown;
  tags: Record<string, string>;
  source?: { source_type: string; source_data?: JsonObject };
  source_id?: string;
  source_type?: string;
  created_time?: number;
  last_update_time?: number;
  created_by?: string;
  last_updated_by?: string;
}

/** What a record upsert takes: records are matched by their inputs; expectations and tags are merged key by key. */
export interface DatasetRecordInput {
  inputs: JsonObject;
  expectations?: JsonObject;
  outputs?: unknown;
  tags?: Record<string, string>;
  source?: { source_type: string; source_data?: JsonObject };
}

/** The records of a `GetDatasetRecords` answer (a JSON list as text). */
export function parseRecords(text: string): DatasetRecord[] {
  const v = text ? parseJson(text) : [];
  return Array.isArray(v) ? (v.filter(isObject) as unknown as DatasetRecord[]) : [];
}
