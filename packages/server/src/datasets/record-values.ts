import { createHash } from "node:crypto";
import { clientCrash, invalidParameter } from "../errors.js";
import { PyFloat, type PyJson, pyJsonDumps, pyTypeOf } from "../traces/py-json.js";

/**
 * An evaluation-dataset record as the reference's store reads, merges and writes it. Values are Python's view of JSON
 * (`PyJson`), so that `1` and `1.0` keep their spelling in the `records` text clients read back.
 * @see mlflow/store/tracking/sqlalchemy_store.py upsert_dataset_records
 * @see mlflow/store/tracking/dbmodels/models.py SqlEvaluationDatasetRecord (from_mlflow_entity, merge, to_mlflow_entity)
 * @see mlflow/entities/dataset_record.py DatasetRecord.to_dict
 */

type PyObject = { [key: string]: PyJson };

/** The record's fields as stored; JSON columns parsed. */
export interface RecordState {
  dataset_record_id: string;
  dataset_id: string;
  inputs: PyJson;
  /** Unwrapped: undefined when the column is NULL (the reference's `outputs` None). */
  outputs: PyJson | undefined;
  expectations: PyJson;
  tags: PyJson;
  source: PyObject | null;
  source_id: string | null;
  source_type: string | null;
  created_time: number;
  last_update_time: number;
  created_by: string | null;
  last_updated_by: string | null;
  input_hash: string;
}

export const MLFLOW_USER = "mlflow.user";
const SOURCE_TYPES = ["UNSPECIFIED", "TRACE", "HUMAN", "DOCUMENT", "CODE"] as const;
/** The key a non-dict output is wrapped under in the `outputs` column. */
export const WRAPPED_OUTPUT_KEY = "mlflow_wrapped";

export const isPyObject = (v: PyJson | undefined): v is PyObject =>
  v !== null && v !== undefined && typeof v === "object" && !Array.isArray(v) && !(v instanceof PyFloat);

/** Python's truthiness of a JSON value. */
export function truthy(v: PyJson | undefined): boolean {
  if (v === null || v === undefined || v === false || v === "" || v === 0) return false;
  if (v instanceof PyFloat) return v.value !== 0;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === "object") return Object.keys(v).length > 0;
  return true;
}

/** `json.dumps(value, sort_keys=True)`. */
export function dumpsSorted(v: PyJson): string {
  const sort = (x: PyJson): PyJson => {
    if (Array.isArray(x)) return x.map(sort);
    if (!isPyObject(x)) return x;
    const out: PyObject = {};
    for (const k of Object.keys(x).sort()) out[k] = sort(x[k] as PyJson);
    return out;
  };
  return pyJsonDumps(sort(v));
}

/** SHA-256 of the sorted inputs: what makes two records the same record. */
export const inputHashOf = (inputs: PyJson): string => createHash("sha256").update(dumpsSorted(inputs)).digest("hex");

/** A tag or user value as the reference's String column holds it (`str(value)` for non-strings). */
export function pyStrOf(v: PyJson): string {
  if (typeof v === "string") return v;
  if (v === true) return "True";
  if (v === false) return "False";
  if (v === null) return "None";
  return pyJsonDumps(v);
}

/** The `mlflow.user` tag of a record's tags, if any. */
export function userOf(tags: PyJson | undefined): string | undefined {
  return isPyObject(tags) && MLFLOW_USER in tags ? pyStrOf(tags[MLFLOW_USER] as PyJson) : undefined;
}

/**
 * A record's `source`, read as `DatasetRecordSource(**source)`: `source_type` (any case) is required and must be a
 * known type; `source_data` defaults to `{}`. Falsy sources are none.
 */
export function readSource(
  raw: PyJson | undefined,
): { source: PyObject; source_id: string | null; source_type: string } | null {
  if (!truthy(raw)) return null;
  if (!isPyObject(raw)) throw clientCrash(`'${pyTypeOf(raw)}' object has no attribute 'to_dict'`);
  const unknown = Object.keys(raw).find((k) => k !== "source_type" && k !== "source_data");
  if (unknown) throw clientCrash(`DatasetRecordSource.__init__() got an unexpected keyword argument '${unknown}'`);
  if (!("source_type" in raw)) {
    throw clientCrash("DatasetRecordSource.__init__() missing 1 required positional argument: 'source_type'");
  }
  const typeRaw = raw.source_type;
  if (typeof typeRaw !== "string") throw clientCrash(`'${pyTypeOf(typeRaw)}' object has no attribute 'upper'`);
  const type = typeRaw.toUpperCase();
  if (!(SOURCE_TYPES as readonly string[]).includes(type)) {
    throw invalidParameter(
      `Invalid dataset record source type: ${type}. Valid source types: ['UNSPECIFIED', 'TRACE', 'HUMAN', 'DOCUMENT', 'CODE']`,
    );
  }
  const data = raw.source_data ?? {};
  if (!isPyObject(data)) throw clientCrash(`'${pyTypeOf(data)}' object has no attribute 'get'`);
  const idRaw = type === "TRACE" ? data.trace_id : data.source_id;
  return {
    source: { source_type: type, source_data: data },
    source_id: idRaw === undefined || idRaw === null ? null : pyStrOf(idRaw),
    source_type: type,
  };
}

/** The records of an UpsertDatasetRecords, each an object; the reference iterates whatever `json.loads` gave. */
export function readRecordList(text: string, parse: (t: string) => PyJson): PyObject[] {
  let parsed: PyJson;
  try {
    parsed = parse(text);
  } catch {
    throw invalidParameter(`Invalid JSON in 'records': ${text.length > 200 ? `${text.slice(0, 200)}…` : text}`);
  }
  // Iterating a dict yields its keys and a string its characters: an empty one is no records, any other a crash.
  let items: PyJson[];
  if (Array.isArray(parsed)) items = parsed;
  else if (isPyObject(parsed)) items = Object.keys(parsed);
  else if (typeof parsed === "string") items = [...parsed];
  else throw clientCrash(`'${pyTypeOf(parsed)}' object is not iterable`);
  for (const item of items) {
    if (!isPyObject(item)) throw clientCrash(`'${pyTypeOf(item)}' object has no attribute 'get'`);
    const { inputs, expectations, tags } = item;
    if (inputs === null) throw clientCrash("inputs must be provided");
    if (inputs !== undefined && !isPyObject(inputs) && truthy(inputs)) {
      throw clientCrash(`'${pyTypeOf(inputs)}' object has no attribute 'items'`);
    }
    if (truthy(expectations) && !isPyObject(expectations)) {
      throw clientCrash(`'${pyTypeOf(expectations)}' object has no attribute 'items'`);
    }
    if (truthy(tags) && !isPyObject(tags)) {
      throw clientCrash(`'${pyTypeOf(tags)}' object has no attribute 'keys'`);
    }
  }
  return items as PyObject[];
}

/** A new record from its upserted dict. */
export function newRecord(
  input: PyObject,
  ids: { dataset_id: string; dataset_record_id: string; input_hash: string },
  now: number,
): RecordState {
  const source = readSource(input.source);
  const createdBy = userOf(input.tags) ?? null;
  return {
    ...ids,
    inputs: input.inputs ?? {},
    // A record sent without outputs stores `{}` (the reference's `record_dict.get("outputs", {})`).
    outputs: "outputs" in input ? (input.outputs === null ? undefined : input.outputs) : {},
    expectations: input.expectations ?? null,
    tags: input.tags ?? null,
    source: source?.source ?? null,
    source_id: source?.source_id ?? null,
    source_type: source?.source_type ?? null,
    created_time: now,
    last_update_time: now,
    created_by: createdBy,
    last_updated_by: createdBy,
  };
}

/**
 * Merges an upsert into an existing record: outputs replaced when sent, expectations and tags updated key by key;
 * the source and creation fields stay. @see SqlEvaluationDatasetRecord.merge
 */
export function mergeRecord(r: RecordState, input: PyObject, now: number): void {
  if ("outputs" in input) r.outputs = input.outputs === null ? undefined : input.outputs;
  if (truthy(input.expectations) && isPyObject(input.expectations)) {
    r.expectations = { ...(isPyObject(r.expectations) ? r.expectations : {}), ...input.expectations };
  }
  if (truthy(input.tags) && isPyObject(input.tags)) {
    r.tags = { ...(isPyObject(r.tags) ? r.tags : {}), ...input.tags };
  }
  r.last_update_time = now;
  const user = userOf(input.tags);
  if (user !== undefined) r.last_updated_by = user;
}

/** The record as `DatasetRecord.to_dict()` writes it, fields in the proto's order. */
export function recordToDict(r: RecordState): PyObject {
  const d: PyObject = { dataset_record_id: r.dataset_record_id, dataset_id: r.dataset_id, inputs: r.inputs };
  if (r.expectations !== null) d.expectations = r.expectations;
  d.tags = r.tags ?? {};
  let sourceId = r.source_id;
  let sourceType: string | null = null;
  if (r.source && truthy(r.source)) {
    const type = String(r.source.source_type ?? "UNSPECIFIED");
    const data = isPyObject(r.source.source_data ?? null) ? (r.source.source_data as PyObject) : {};
    d.source = { source_type: type, source_data: data };
    if (sourceId === null) {
      const id = type === "TRACE" ? data.trace_id : data.source_id;
      sourceId = id === undefined || id === null ? null : pyStrOf(id);
    }
    sourceType = type;
  }
  if (sourceId !== null) d.source_id = sourceId;
  if (sourceType !== null) d.source_type = sourceType;
  d.created_time = r.created_time;
  d.last_update_time = r.last_update_time;
  if (r.created_by !== null) d.created_by = r.created_by;
  if (r.last_updated_by !== null) d.last_updated_by = r.last_updated_by;
  if (r.outputs !== undefined) d.outputs = r.outputs;
  return d;
}

/** The type name the reference's schema inference gives a value. @see SqlAlchemyStore._infer_field_type */
export function fieldTypeOf(v: PyJson): string {
  if (v === null) return "null";
  if (typeof v === "boolean") return "boolean";
  if (typeof v === "number") return "integer";
  if (v instanceof PyFloat) return "float";
  if (typeof v === "string") return "string";
  return Array.isArray(v) ? "array" : "object";
}

/**
 * The dataset's schema with the new records' fields added (types of fields already known stay). A dict output after a
 * non-dict one keeps the schema's single output type (the reference crashes there).
 * @see SqlAlchemyStore._update_dataset_schema
 */
export function updateSchema(existing: PyJson | undefined, records: readonly PyObject[]): PyObject | undefined {
  if (records.length === 0 && existing === undefined) return undefined;
  const schema: PyObject = isPyObject(existing)
    ? existing
    : { inputs: {}, outputs: {}, expectations: {}, version: "1.0" };
  const addFields = (section: string, values: PyObject) => {
    const target = schema[section];
    if (!isPyObject(target)) return;
    for (const [k, v] of Object.entries(values)) if (!(k in target)) target[k] = fieldTypeOf(v);
  };
  for (const r of records) {
    if (isPyObject(r.inputs) && truthy(r.inputs)) addFields("inputs", r.inputs);
    const outputs = r.outputs;
    if (outputs !== undefined && outputs !== null) {
      if (isPyObject(outputs)) addFields("outputs", outputs);
      else if (!truthy(schema.outputs)) schema.outputs = fieldTypeOf(outputs);
    }
    if (isPyObject(r.expectations) && truthy(r.expectations)) addFields("expectations", r.expectations);
  }
  return schema;
}
