import type { InStatement, Row } from "@libsql/client";
import {
  inputHashOf,
  isPyObject,
  mergeRecord,
  newRecord,
  type RecordState,
  recordToDict,
  truthy,
  updateSchema,
  userOf,
  WRAPPED_OUTPUT_KEY,
} from "../datasets/record-values.js";
import { clientCrash, MlflowError } from "../errors.js";
import { type PyJson, pyJsonDumps, pyJsonLoads } from "../traces/py-json.js";
import { datasetDigest, findDataset, newRecordId, requireAccessible } from "./dataset-rows.js";
import type { DbHandle } from "./db.js";

/**
 * The records of evaluation datasets: upserts deduplicated by the hash of their inputs, pages in creation order, and
 * deletes. The dataset's schema, profile (record count), digest and update time follow each upsert.
 * @see mlflow/store/tracking/sqlalchemy_store.py upsert_dataset_records, _load_dataset_records, delete_dataset_records
 */

/** The reference's default page of records. @see mlflow/store/tracking/__init__.py LOAD_DATASET_RECORDS_MAX_RESULTS */
export const DEFAULT_RECORDS_PAGE = 1000;

const COLUMNS =
  "dataset_record_id, dataset_id, inputs, outputs, expectations, tags, source, source_id, source_type, created_time, " +
  "last_update_time, created_by, last_updated_by, input_hash";

const loads = (v: unknown): PyJson | null => (v === null || v === undefined ? null : pyJsonLoads(String(v)));
const dumpsOrNull = (v: PyJson | null | undefined): string | null =>
  v === null || v === undefined ? null : pyJsonDumps(v);
const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

function stateOf(r: Row): RecordState {
  const outputs = loads(r.outputs);
  const wrapped = truthy(outputs) && isPyObject(outputs) ? outputs[WRAPPED_OUTPUT_KEY] : undefined;
  const source = loads(r.source);
  return {
    dataset_record_id: String(r.dataset_record_id),
    dataset_id: String(r.dataset_id),
    inputs: loads(r.inputs) ?? {},
    outputs: wrapped === null ? undefined : wrapped,
    expectations: loads(r.expectations),
    tags: loads(r.tags),
    source: isPyObject(source) ? source : null,
    source_id: text(r.source_id),
    source_type: text(r.source_type),
    created_time: Number(r.created_time),
    last_update_time: Number(r.last_update_time),
    created_by: text(r.created_by),
    last_updated_by: text(r.last_updated_by),
    input_hash: String(r.input_hash),
  };
}

const outputsColumn = (r: RecordState) =>
  r.outputs === undefined ? null : pyJsonDumps({ [WRAPPED_OUTPUT_KEY]: r.outputs });

function insertOf(r: RecordState): InStatement {
  return {
    sql: `INSERT INTO evaluation_dataset_records (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    args: [
      r.dataset_record_id,
      r.dataset_id,
      pyJsonDumps(r.inputs),
      outputsColumn(r),
      dumpsOrNull(r.expectations),
      dumpsOrNull(r.tags),
      dumpsOrNull(r.source),
      r.source_id,
      r.source_type,
      r.created_time,
      r.last_update_time,
      r.created_by,
      r.last_updated_by,
      r.input_hash,
    ],
  };
}

function updateOf(r: RecordState): InStatement {
  return {
    sql: `UPDATE evaluation_dataset_records SET outputs = ?, expectations = ?, tags = ?, last_update_time = ?,
      last_updated_by = ? WHERE dataset_record_id = ?`,
    args: [
      outputsColumn(r),
      dumpsOrNull(r.expectations),
      dumpsOrNull(r.tags),
      r.last_update_time,
      r.last_updated_by,
      r.dataset_record_id,
    ],
  };
}

/** The records cursor: base64 of `created_time:record_id`, or (as the reference falls back to) a bare offset. */
type Cursor = { after: [number, string] } | { offset: number };

function readCursor(token: string): Cursor {
  const b64 = token.trim();
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(b64) && b64.length % 4 === 0) {
    const decoded = Buffer.from(b64, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    const time = decoded.slice(0, colon);
    if (colon > 0 && /^\s*[-+]?\d+\s*$/.test(time) && !decoded.includes("\uFFFD")) {
      return { after: [Number(time), decoded.slice(colon + 1)] };
    }
  }
  if (/^\s*[-+]?\d+\s*$/.test(token)) return { offset: Math.max(0, Number(token)) };
  throw clientCrash(`invalid literal for int() with base 10: '${token}'`);
}

export class DatasetRecordStore {
  constructor(private readonly h: DbHandle) {}

  /**
   * Upserts records: one whose inputs are already in the dataset (or earlier in the same call) is merged into it,
   * others are inserted. Then the dataset's schema, profile, digest, update time and updater follow.
   */
  async upsert(
    datasetId: string,
    records: readonly { [key: string]: PyJson }[],
  ): Promise<{ inserted: number; updated: number }> {
    return this.h.writer.run(async () => {
      await requireAccessible(this.h, datasetId);
      const dataset = await findDataset(this.h, datasetId);
      if (!dataset) {
        if (records.length === 0) return { inserted: 0, updated: 0 };
        // The reference's insert fails on the records' foreign key.
        throw new MlflowError("FOREIGN KEY constraint failed", "BAD_REQUEST");
      }
      const now = Date.now();
      const hashes = records.map((r) => inputHashOf(r.inputs ?? {}));
      const existing = await this.h.client.execute({
        sql: `SELECT ${COLUMNS} FROM evaluation_dataset_records WHERE dataset_id = ?
          AND input_hash IN (SELECT value FROM json_each(?))`,
        args: [datasetId, JSON.stringify([...new Set(hashes)])],
      });
      const byHash = new Map<string, { state: RecordState; isNew: boolean }>();
      for (const r of existing.rows) {
        const s = stateOf(r);
        byHash.set(s.input_hash, { state: s, isNew: false });
      }
      let inserted = 0;
      let updated = 0;
      let updatedBy: string | null = null;
      records.forEach((input, i) => {
        const hash = hashes[i] as string;
        const user = userOf(input.tags);
        if (user !== undefined) updatedBy = user;
        const found = byHash.get(hash);
        if (found) {
          mergeRecord(found.state, input, now);
          updated++;
        } else {
          const ids = { dataset_id: datasetId, dataset_record_id: newRecordId(), input_hash: hash };
          byHash.set(hash, { state: newRecord(input, ids, now), isNew: true });
          inserted++;
        }
      });
      const stmts: InStatement[] = [];
      for (const { state, isNew } of byHash.values()) stmts.push(isNew ? insertOf(state) : updateOf(state));
      const count = await this.h.client.execute({
        sql: "SELECT COUNT(*) AS n FROM evaluation_dataset_records WHERE dataset_id = ?",
        args: [datasetId],
      });
      const total = Number(count.rows[0]?.n ?? 0) + inserted;
      const schema = updateSchema(dataset.schema === null ? undefined : pyJsonLoads(dataset.schema), records);
      const sets = ["last_update_time = ?", "last_updated_by = ?", "digest = ?"];
      const args: (string | number | null)[] = [now, updatedBy, datasetDigest(dataset.name, now)];
      if (schema) {
        sets.push("schema = ?");
        args.push(pyJsonDumps(schema));
      }
      if (total > 0) {
        sets.push("profile = ?");
        args.push(pyJsonDumps({ num_records: total }));
      }
      stmts.push({
        sql: `UPDATE evaluation_datasets SET ${sets.join(", ")} WHERE dataset_id = ?`,
        args: [...args, datasetId],
      });
      await this.h.client.batch(stmts, "write");
      return { inserted, updated };
    });
  }

  /** A page of records in creation order, as the Python-dumped list of `DatasetRecord.to_dict()`s. */
  async page(
    datasetId: string,
    maxResults: number,
    pageToken: string | undefined,
  ): Promise<{ records: string; nextPageToken?: string }> {
    await requireAccessible(this.h, datasetId);
    const cursor = pageToken ? readCursor(pageToken) : { offset: 0 };
    const after = "after" in cursor ? " AND (created_time > ? OR (created_time = ? AND dataset_record_id > ?))" : "";
    const afterArgs = "after" in cursor ? [cursor.after[0], cursor.after[0], cursor.after[1]] : [];
    const offset = "offset" in cursor ? cursor.offset : 0;
    const rs = await this.h.client.execute({
      sql: `SELECT ${COLUMNS} FROM evaluation_dataset_records WHERE dataset_id = ?${after}
        ORDER BY created_time, dataset_record_id LIMIT ? OFFSET ?`,
      args: [datasetId, ...afterArgs, maxResults + 1, offset],
    });
    const states = rs.rows.slice(0, maxResults).map(stateOf);
    const records = pyJsonDumps(states.map(recordToDict));
    const last = states.at(-1);
    if (rs.rows.length <= maxResults || !last) return { records };
    const nextPageToken = Buffer.from(`${last.created_time}:${last.dataset_record_id}`).toString("base64");
    return { records, nextPageToken };
  }

  /** Deletes the named records; the dataset's profile counts them off (its times and digest stay). */
  async delete(datasetId: string, recordIds: readonly string[]): Promise<number> {
    return this.h.writer.run(async () => {
      await requireAccessible(this.h, datasetId);
      if (recordIds.length === 0) return 0;
      const rs = await this.h.client.execute({
        sql: `DELETE FROM evaluation_dataset_records WHERE dataset_id = ?
          AND dataset_record_id IN (SELECT value FROM json_each(?))`,
        args: [datasetId, JSON.stringify(recordIds)],
      });
      const deleted = rs.rowsAffected;
      if (deleted === 0) return 0;
      const dataset = await findDataset(this.h, datasetId);
      if (dataset) {
        const profile = dataset.profile ? pyJsonLoads(dataset.profile) : null;
        const before = isPyObject(profile) && typeof profile.num_records === "number" ? profile.num_records : 0;
        const left = Math.max(0, before - deleted);
        // The reference writes `json.dumps(None)`, the text "null", once no record is left.
        await this.h.client.execute({
          sql: "UPDATE evaluation_datasets SET profile = ? WHERE dataset_id = ?",
          args: [pyJsonDumps(left > 0 ? { num_records: left } : null), datasetId],
        });
      }
      return deleted;
    });
  }
}
